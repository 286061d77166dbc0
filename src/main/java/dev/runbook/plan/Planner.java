package dev.runbook.plan;

import dev.runbook.expr.Expr;
import dev.runbook.expr.CompiledExpressions;
import dev.runbook.expr.Renderer;
import dev.runbook.expr.Scope;
import dev.runbook.expr.ShellScript;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.StepSettings;
import dev.runbook.lang.Durations;
import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.OnFailure;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.secrets.Redactor;
import dev.runbook.lang.model.Var;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3: the plan. Renders every step with what is known before running (params, vars,
 * run, env); values that depend on step outputs, {@code result} or {@code item} stay as
 * {@code ${{ }}}. Runs nothing and contacts nothing.
 */
public final class Planner {
    private final Runbook rb;
    private final StepGraph graph;
    private final Map<String, Object> scope;
    private final Redactor redactor;
    /** "params.NAME" of secret params and "vars.NAME" of vars computed from them. */
    private final Set<String> secrets = new LinkedHashSet<>();
    private int number;
    /** kubeTarget results by step target name (null: the default): the same for every step. */
    private final Map<String, String> kubeTargets = new java.util.HashMap<>();
    /** The key of {@link #kubeTargets} for steps without {@code on:}. */
    private static final String NO_TARGET = "";
    private final ActionCatalog actions;
    private final StepSettings settings;
    /** The runbook's templates and expressions as the checker compiled them. */
    private final CompiledExpressions compiled;

    private Planner(CheckedRunbook checked, Map<String, Object> params, Map<String, String> env, Redactor redactor) {
        this.rb = checked.runbook();
        this.graph = checked.graph();
        this.actions = checked.actions();
        this.compiled = checked.expressions();
        this.redactor = redactor;
        this.scope = Scope.forPlan(rb, params, env, compiled);
        this.settings = StepSettings.bind(rb, scope);
        for (Param p : rb.params().values()) {
            if (p.secret()) {
                secrets.add("params." + p.name());
            }
        }
        // A var computed from a secret is a secret too, in whatever form it took.
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = (Map<String, Object>) scope.get("vars");
        for (Var v : rb.vars()) {
            if (Renderer.readsAny(v.value(), secrets, compiled)) {
                secrets.add("vars." + v.name());
                redactor.add(vars.get(v.name()));
            }
        }
    }

    public static Plan plan(CheckedRunbook checked, Map<String, Object> params, Map<String, String> env) {
        Redactor redactor = new Redactor();
        checked.runbook().secretParamValues(params).forEach(redactor::add);
        return new Planner(checked, params, env, redactor).build(params);
    }

    private Plan build(Map<String, Object> params) {
        Map<String, Object> shownParams = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            shownParams.put(e.getKey(), rb.isSecretParam(e.getKey()) && e.getValue() != null ? Redactor.MASK : e.getValue());
        }
        List<Plan.PlanStep> steps = new ArrayList<>();
        for (Step s : rb.steps()) {
            add(s, 0, steps);
        }
        List<Plan.PlanStep> onFailure = new ArrayList<>();
        for (Step s : rb.onFailure()) {
            add(s, 0, onFailure);
        }
        return new Plan(rb.file(), rb.name(), rb.title(), rb.description(), shownParams, steps, onFailure);
    }

    private void add(Step s, int depth, List<Plan.PlanStep> out) {
        Map<String, Object> action = new LinkedHashMap<>();
        String kind = s.action() == null ? "?" : s.action().keyword();
        PlanView view = s.action() == null ? null : (PlanView) actions.of(s.action());
        if (view != null) {
            view.planOf(s.action(), new Fields(action));
        }
        Effect effect = Effect.of(s, actions, n -> Effect.knownOnly(show(n)));
        List<String> conditions = new ArrayList<>();
        if (s.when() != null) {
            conditions.add("when: " + s.when().source() + known(s.when()));
        }
        if (s.unless() != null) {
            conditions.add("unless: " + s.unless().source() + known(s.unless()));
        }
        if (s.forEach() != null) {
            conditions.add("forEach: " + s.forEach().source() + known(s.forEach())
                    + (s.parallel() > 1 ? " (parallel " + s.parallel() + ")" : ""));
        }
        if (s.until() != null) {
            Duration timeout = settings.timeout(s);
            conditions.add("until: " + s.until().source() + " (every " + Durations.format(settings.interval(s))
                    + (timeout == null ? "" : ", timeout " + Durations.format(timeout)) + ")");
        } else if (settings.ownTimeout(s) != null) {
            conditions.add("timeout: " + Durations.format(settings.ownTimeout(s)));
        }
        int retries = settings.retries(s);
        if (retries > 0) {
            conditions.add("retries: " + retries);
        }
        if (s.onFailure() == OnFailure.CONTINUE) {
            conditions.add("onFailure: continue");
        }
        if (s.idempotent()) {
            conditions.add("idempotent");
        }
        if (s.sensitive()) {
            conditions.add("sensitive: outputs are redacted and never written");
        }
        List<String> reads = new ArrayList<>();
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            if (e.kind() == StepGraph.Kind.READS) {
                reads.add(e.to() + (e.outputs().isEmpty() ? "" : " (" + String.join(", ", e.outputs()) + ")"));
            }
        }
        List<String> captures = new ArrayList<>();
        for (Capture c : s.capture()) {
            captures.add(c.name() + " = " + c.expr().source());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) redactor.redactValue(action);
        out.add(new Plan.PlanStep(++number, s.id(), depth, s.title(), s.doc(), effect.tag(), kind, shown, conditions,
                s.needs(), reads, captures, view == null ? "" : view.summary(shown)));
        if (s.action() instanceof Action.Group g) {
            for (Step child : g.steps()) {
                add(child, depth + 1, out);
            }
        }
    }

    /** For a condition whose value is already known at plan time, say what it is. */
    private String known(Expr e) {
        if (Renderer.readsAny(e, secrets, compiled)) {
            return "  (reads a secret)";
        }
        if (!Renderer.knowable(e, scope, compiled)) {
            return "  (known at run time)";
        }
        try {
            Object v = Renderer.evaluate(e, scope, compiled);
            return "  (now " + redactor.redact(Renderer.format(v)) + ")";
        } catch (Exception ex) {
            return "  (cannot be evaluated yet: " + redactor.redact(ex.getMessage()) + ")";
        }
    }

    private Object show(YNode n) {
        return Renderer.preview(n, scope, secrets, compiled);
    }

    /** The plan's fields of one action, filled in by its type's {@link PlanView}. */
    private final class Fields implements PlanFields {
        private final Map<String, Object> m;

        Fields(Map<String, Object> m) {
            this.m = m;
        }

        @Override
        public void put(String key, YNode n) {
            if (n != null) {
                m.put(key, show(n));
            }
        }

        @Override
        public void putValue(String key, Object value) {
            m.put(key, value);
        }

        @Override
        public Object show(YNode n) {
            return Planner.this.show(n);
        }

        @Override
        public String script(YScalar script) {
            return redactor.redact(ShellScript.preview(script, scope, secrets, compiled));
        }

        @Override
        public String kubeTarget(String on) {
            return kubeTargets.computeIfAbsent(on == null ? NO_TARGET : on, k -> Planner.this.kubeTarget(on));
        }

        @Override
        public Runbook runbook() {
            return rb;
        }

        @Override
        public Map<String, Object> fields() {
            return m;
        }
    }

    private String kubeTarget(String on) {
        String name = on != null ? on : rb.defaults().target();
        if (name == null) {
            List<String> kube = rb.targets().values().stream().filter(t -> t instanceof Target.Kubernetes).map(Target::name).toList();
            if (kube.size() == 1) {
                name = kube.get(0);
            }
        }
        if (name == null) {
            return "current kubeconfig context";
        }
        if (rb.targets().get(name) instanceof Target.Kubernetes k) {
            StringBuilder sb = new StringBuilder(name);
            List<String> parts = new ArrayList<>();
            if (k.context() != null) {
                parts.add("context " + Renderer.format(show(k.context())));
            }
            if (k.namespace() != null) {
                parts.add("namespace " + Renderer.format(show(k.namespace())));
            }
            if (k.via() != null) {
                parts.add("via " + k.via());
            }
            if (!parts.isEmpty()) {
                sb.append(" (").append(String.join(", ", parts)).append(')');
            }
            return redactor.redact(sb.toString());
        }
        return name;
    }
}
