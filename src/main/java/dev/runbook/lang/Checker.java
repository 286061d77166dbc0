package dev.runbook.lang;

import dev.runbook.expr.Cel;
import dev.runbook.expr.Expr;
import dev.runbook.expr.References;
import dev.runbook.expr.Template;
import dev.runbook.expr.CompiledExpressions;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Setting;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.model.Var;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stage 2c: the checks beyond the schema. Unique ids, {@code needs} and {@code steps.ID}
 * references that point only backwards, every expression parsed and type-checked by CEL and
 * every name it reads resolved, target references of the right kind. Builds the step graph.
 *
 * <p>Longer than this project's other classes (about 530 lines): every check of a name an
 * expression reads needs the same indexes (ids, ancestors, vars, the graph being built), and
 * splitting them out would hand those indexes around; a split by site (vars, targets, steps)
 * is the next step if it grows.
 */
public final class Checker {

    /** Where an expression stands decides which names it may read. */
    enum Site {
        VAR("vars"), TARGET("targets"), SETTING("retries, interval and timeout"), STEP("when, unless and forEach"),
        ACTION("the action"), AFTER("capture and until");

        final String words;

        Site(String words) {
            this.words = words;
        }
    }

    private final Runbook rb;
    private final Problems problems;
    private final ActionCatalog actions;
    private final StepGraph graph;
    /** What this check compiles, kept for the planner and the engine (see {@link CheckedRunbook}). */
    private final CompiledExpressions compiled;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Step> byId = new LinkedHashMap<>();
    private final Map<String, Set<String>> ancestors = new HashMap<>();
    private final Set<String> varNames = new HashSet<>();
    /** Templates the up-front pass parsed without a problem, to be checked without parsing again. */
    private final Map<YScalar, Template> parsed = new java.util.IdentityHashMap<>();

    private Checker(Runbook rb, Problems problems, ActionCatalog actions, CompiledExpressions compiled) {
        this.rb = rb;
        this.compiled = compiled;
        this.problems = problems;
        this.actions = actions;
        this.graph = new StepGraph(rb);
    }

    /** Checks {@code rb}, leaving its parsed templates and compiled expressions in {@code compiled}. */
    public static StepGraph check(Runbook rb, Problems problems, ActionCatalog actions, CompiledExpressions compiled) {
        Checker c = new Checker(rb, problems, actions, compiled);
        c.run();
        return c.graph;
    }

    private void run() {
        List<Step> all = rb.allSteps();
        compiled.precompile(expressionTexts(all));
        for (int i = 0; i < all.size(); i++) {
            Step s = all.get(i);
            Step first = byId.putIfAbsent(s.id(), s);
            if (first != null) {
                problems.error(s.source().get("id").pos(), "duplicate step id '" + s.id() + "' (first used at line " + first.pos().line() + ")");
            } else {
                index.put(s.id(), i);
            }
        }
        computeAncestors(rb.steps(), new ArrayList<>());
        computeAncestors(rb.onFailure(), new ArrayList<>());

        for (Var v : rb.vars()) {
            checkValue(v.value(), Site.VAR, null);
            varNames.add(v.name());
        }
        checkTargets();
        checkSettings(rb.defaults().retries(), rb.defaults().interval(), rb.defaults().timeout());
        if (rb.defaults().namespace() != null) {
            checkValue(rb.defaults().namespace(), Site.TARGET, null);
        }
        if (rb.defaults().target() != null && !rb.targets().containsKey(rb.defaults().target())) {
            problems.error(rb.root().get("defaults") instanceof YMap d ? d.get("target").pos() : Pos.START,
                    "unknown target '" + rb.defaults().target() + "'" + didYouMean(rb.defaults().target(), rb.targets().keySet()));
        }
        for (Step s : all) {
            checkStep(s);
        }
    }

    /**
     * Every expression text of the file: the holes of every template string and the expression
     * fields of every step. Compiling them together up front is much cheaper than one by one;
     * the checks below then find them compiled. Problems are not reported here: the checks
     * below meet the same texts and report them.
     */
    private Set<String> expressionTexts(List<Step> all) {
        Set<String> out = new LinkedHashSet<>();
        Problems ignored = new Problems(rb.file());
        collectTemplates(rb.root(), out, ignored);
        for (Step s : all) {
            for (Expr e : new Expr[] {s.when(), s.unless(), s.forEach(), s.until()}) {
                addExpr(e, out, ignored);
            }
            for (Capture c : s.capture()) {
                addExpr(c.expr(), out, ignored);
            }
            if (s.action() != null) {
                for (Expr e : actions.of(s.action()).expressionsOf(s.action())) {
                    addExpr(e, out, ignored);
                }
            }
        }
        return out;
    }

    private void addExpr(Expr e, Set<String> out, Problems ignored) {
        if (e == null) {
            return;
        }
        if (e.isLiteral()) {
            collectTemplates(e.literal(), out, ignored);
        } else {
            out.add(e.source());
        }
    }

    private void collectTemplates(YNode n, Set<String> out, Problems ignored) {
        if (n instanceof YMap m) {
            for (YMap.Entry e : m.entries()) {
                collectTemplates(e.value(), out, ignored);
            }
        } else if (n instanceof YSeq q) {
            for (YNode i : q.items()) {
                collectTemplates(i, out, ignored);
            }
        } else if (n instanceof YScalar s && s.value() instanceof String text && Template.mayHoldTemplate(text)) {
            Problems own = new Problems(rb.file());
            Template t = Template.parse(s, own);
            if (own.isEmpty()) {
                parsed.put(s, t);
            }
            for (Expr e : t.holes()) {
                out.add(e.source());
            }
        }
    }

    private void computeAncestors(List<Step> steps, List<String> path) {
        for (Step s : steps) {
            ancestors.put(s.id(), new HashSet<>(path));
            if (s.action() instanceof Action.Group g) {
                path.add(s.id());
                computeAncestors(g.steps(), path);
                path.remove(path.size() - 1);
            }
        }
    }

    private void checkTargets() {
        for (Target t : rb.targets().values()) {
            if (t instanceof Target.Ssh s) {
                    for (YNode n : new YNode[] {s.host(), s.port(), s.user(), s.identityFile(), s.password(), s.knownHosts(), s.sudo(),
                            s.insecureSkipHostKeyCheck()}) {
                        checkValue(n, Site.TARGET, null);
                    }
            } else if (t instanceof Target.Kubernetes k) {
                    for (YNode n : new YNode[] {k.kubeconfig(), k.context(), k.namespace()}) {
                        checkValue(n, Site.TARGET, null);
                    }
                    if (k.via() != null) {
                        Target via = rb.targets().get(k.via());
                        YMap km = (YMap) ((YMap) ((YMap) rb.root().get("targets")).get(k.name())).get("kubernetes");
                        if (via == null) {
                            problems.error(km.get("via").pos(), "unknown target '" + k.via() + "' in via"
                                    + didYouMean(k.via(), rb.targets().keySet()));
                        } else if (!(via instanceof Target.Ssh)) {
                            problems.error(km.get("via").pos(), "'via' must name an ssh target, and '" + k.via() + "' is "
                                    + kindWords(via) + " target",
                                    "via names the host from which this cluster's API is reachable");
                        }
                    }
            }
        }
    }

    // ---- steps ------------------------------------------------------------------------------

    private void checkStep(Step s) {
        YMap m = s.source();
        for (int i = 0; i < s.needs().size(); i++) {
            String need = s.needs().get(i);
            YNode needsNode = m.get("needs");
            Pos at = needsNode instanceof YSeq seq && i < seq.items().size() ? seq.items().get(i).pos()
                    : needsNode != null ? needsNode.pos() : m.keyPos("needs");
            if (stepRef(s, need, at, "needs")) {
                graph.addNeeds(s.id(), need);
            }
        }
        boolean loop = s.forEach() != null;
        checkSettings(s.retries(), s.interval(), s.timeout());
        checkExpr(s.when(), Site.STEP, s, false);
        checkExpr(s.unless(), Site.STEP, s, false);
        checkExpr(s.forEach(), Site.STEP, s, false);
        for (Capture c : s.capture()) {
            checkExpr(c.expr(), Site.AFTER, s, loop);
        }
        checkExpr(s.until(), Site.AFTER, s, loop);
        if (s.action() == null) {
            return;
        }
        ActionSyntax<?> syntax = actions.of(s.action());
        for (YNode n : syntax.templatedOf(s.action())) {
            checkValue(n, Site.ACTION, s, loop);
        }
        for (Expr e : syntax.expressionsOf(s.action())) {
            checkExpr(e, Site.ACTION, s, loop);
        }
        syntax.checkOf(s.action(), new Checks(s));
    }

    /** Settings written as {@code ${{ }}}: params and vars only, as they are computed before the run. */
    private void checkSettings(Setting<?>... settings) {
        for (Setting<?> st : settings) {
            if (st != null && st.expr() != null) {
                checkExpr(st.expr(), Site.SETTING, null, false);
            }
        }
    }

    /** What an action type's own checks may use. */
    private final class Checks implements ActionChecks {
        private final Step step;

        Checks(Step step) {
            this.step = step;
        }

        @Override
        public Step step() {
            return step;
        }

        @Override
        public Runbook runbook() {
            return rb;
        }

        @Override
        public void error(Pos at, String message, String... hints) {
            problems.error(at, message, hints);
        }

        @Override
        public void targetRef(String name, Class<? extends Target> kind, String words) {
            checkTargetRef(step, name, kind, step.action().keyword(), words);
        }
    }

    private void checkTargetRef(Step s, String name, Class<? extends Target> kind, String action, String words) {
        if (name == null) {
            return;
        }
        YMap actionMap = (YMap) s.source().get(action);
        Pos at = actionMap.get("on").pos();
        Target t = rb.targets().get(name);
        if (t == null && declaredInFile("targets", name)) {
            return; // declared, but malformed: the schema reported it
        }
        if (t == null) {
            problems.error(at, "unknown target '" + name + "'" + didYouMean(name, rb.targets().keySet()),
                    "declared targets: " + String.join(", ", rb.targets().keySet()));
        } else if (!kind.isInstance(t)) {
            List<String> fitting = rb.targets().values().stream().filter(kind::isInstance).map(Target::name).toList();
            String hint = fitting.isEmpty() ? "this runbook declares no " + words.replaceFirst("^an? ", "") + " target"
                    : words.replaceFirst("^an? ", "") + " targets: " + String.join(", ", fitting);
            if (kind == Target.Kubernetes.class && t instanceof Target.Ssh) {
                hint = "for a cluster reached through '" + name + "', declare a kubernetes target with via: " + name + " and use that";
            }
            problems.error(at, action + " in step '" + s.id() + "' runs on " + words + " target, and '" + name + "' is "
                    + kindWords(t) + " target", hint);
        }
    }

    /** True when {@code id} names an earlier, non-enclosing step; reports otherwise. */
    private boolean stepRef(Step from, String id, Pos at, String how) {
        Integer target = index.get(id);
        Integer self = index.get(from.id());
        if (target == null) {
            List<String> others = byId.keySet().stream().filter(k -> !k.equals(from.id())).toList();
            problems.error(at, "unknown step '" + id + "' in " + how + didYouMean(id, others));
            return false;
        }
        if (id.equals(from.id())) {
            problems.error(at, "step '" + id + "' refers to itself in " + how);
            return false;
        }
        if (ancestors.getOrDefault(from.id(), Set.of()).contains(id)) {
            problems.error(at, "step '" + from.id() + "' is inside group '" + id + "' and cannot depend on it",
                    "a group ends after the steps inside it");
            return false;
        }
        if (self != null && target > self) {
            problems.error(at, "step '" + id + "' comes later (line " + byId.get(id).pos().line()
                    + "): a step may only depend on earlier steps");
            return false;
        }
        return true;
    }

    // ---- values and expressions -------------------------------------------------------------

    private void checkValue(YNode n, Site site, Step step) {
        checkValue(n, site, step, false);
    }

    /** Checks every {@code ${{ }}} in every string under {@code n}. */
    private void checkValue(YNode n, Site site, Step step, boolean loop) {
        if (n == null) {
            return;
        }
        if (n instanceof YMap m) {
            for (YMap.Entry e : m.entries()) {
                checkValue(e.value(), site, step, loop);
            }
        } else if (n instanceof YSeq q) {
            for (YNode i : q.items()) {
                checkValue(i, site, step, loop);
            }
        } else if (n instanceof YScalar s && s.value() instanceof String text && Template.mayHoldTemplate(text)) {
            // Parsing is deterministic: a template parsed without a problem up front is reused.
            Template t = parsed.remove(s);
            if (t == null) {
                t = Template.parse(s, problems);
            }
            for (Expr e : t.holes()) {
                checkExpr(e, site, step, loop);
            }
            compiled.remember(t);
        }
    }

    private void checkExpr(Expr e, Site site, Step step, boolean loop) {
        if (e == null) {
            return;
        }
        if (e.isLiteral()) {
            checkValue(e.literal(), site, step, loop);
            return;
        }
        // Compiled up front with every other expression of the file (see precompile): this
        // finds the result; an expression with problems is compiled alone, for CEL's own words.
        List<Cel.Issue> issues = compiled.compile(e);
        if (!issues.isEmpty()) {
            report(e, issues);
            return;
        }
        for (References.Ref r : References.of(e)) {
            checkRef(e, r, site, step, loop);
        }
    }

    private void report(Expr e, List<Cel.Issue> issues) {
        for (Cel.Issue i : issues) {
            String name = i.name();
            String src = e.source();
            int at = i.offset();
            switch (i.kind()) {
                case UNKNOWN_FUNCTION -> {
                    // CEL points at the call's parenthesis: point at the function's name instead.
                    int start = at - name.length();
                    boolean paren = at < src.length() && src.charAt(at) == '(';
                    problems.error(e.posAt(paren && start >= 0 && src.startsWith(name, start) ? start : at),
                            "unknown function '" + name + "' in expression",
                            "expressions call CEL's standard functions and macros (size, has, all, exists, map, filter, ...)"
                                    + " and its string, math and list functions; nothing else");
                }
                case UNKNOWN_NAME -> problems.error(e.posAt(at), "unknown name '" + name + "' in expression"
                        + didYouMean(name, Cel.ROOTS), "expressions read params, vars, steps, result, item, index, run and env");
                case OTHER -> problems.error(e.posAt(at),
                        (i.message().startsWith("syntax error") ? "" : "invalid expression: ") + i.message());
            }
        }
    }

    private void checkRef(Expr e, References.Ref r, Site site, Step step, boolean loop) {
        Pos at = e.posAt(r.offset());
        String first = r.at(0);
        switch (r.root()) {
            case "params" -> {
                if (first != null && !rb.params().containsKey(first) && !declaredInFile("params", first)) {
                    problems.error(at, "unknown param '" + first + "'" + didYouMean(first, rb.params().keySet()),
                            rb.params().isEmpty() ? "this runbook declares no params" : "declared params: " + String.join(", ", rb.params().keySet()));
                }
            }
            case "vars" -> {
                if (first != null && !varNames.contains(first)) {
                    boolean later = rb.vars().stream().anyMatch(v -> v.name().equals(first));
                    List<String> names = rb.vars().stream().map(Var::name).toList();
                    if (later) {
                        problems.error(at, "var '" + first + "' is defined later: a var may only read earlier vars",
                                "vars are computed in order, top to bottom");
                    } else {
                        problems.error(at, "unknown var '" + first + "'" + didYouMean(first, names),
                                names.isEmpty() ? "this runbook declares no vars" : "declared vars: " + String.join(", ", names));
                    }
                }
            }
            case "run" -> {
                if (first != null && !first.equals("id") && !first.equals("dryRun")) {
                    problems.error(at, "unknown field 'run." + first + "': run has id and dryRun");
                }
            }
            case "env" -> {
            }
            case "result" -> {
                if (site == Site.SETTING) {
                    problems.error(at, "'result' is not available in " + site.words
                            + ": they are computed from params and vars when the run starts");
                    return;
                }
                if (site != Site.AFTER) {
                    problems.error(at, "'result' is not available in " + site.words + ": it exists only in capture and until, after the action ran");
                    return;
                }
                Set<String> fields = step.action() == null ? null : actions.of(step.action()).resultFieldsOf(step.action());
                if (first != null && fields != null && !fields.contains(first)) {
                    List<String> sorted = fields.stream().sorted().toList();
                    problems.error(at, "the result of " + step.action().keyword() + " has no field '" + first + "'"
                            + didYouMean(first, sorted), "its fields: " + String.join(", ", sorted));
                }
            }
            case "item", "index" -> {
                if (site == Site.SETTING) {
                    problems.error(at, "'" + r.root() + "' is not available in " + site.words
                            + ": they are computed from params and vars when the run starts");
                    return;
                }
                if (step != null && step.forEach() != null && site == Site.STEP) {
                    problems.error(at, "'" + r.root() + "' is not available in " + site.words
                            + ": they are evaluated once for the whole step, and '" + r.root() + "' is bound per element in the action, capture and until");
                } else if ((step == null || step.forEach() == null) && !inGroupWithForEach(step)) {
                    problems.error(at, "'" + r.root() + "' is only available in a step with forEach",
                            "forEach: EXPR runs the action once per element of the list, with item and index bound");
                }
            }
            case "steps" -> {
                if (site == Site.VAR || site == Site.TARGET || site == Site.SETTING) {
                    problems.error(at, "'steps' is not available in " + site.words + ": they are computed before any step runs");
                    return;
                }
                if (first == null) {
                    return;
                }
                if (!stepRef(step, first, at, "expression")) {
                    return;
                }
                String field = r.at(1);
                if (field == null) {
                    graph.addRead(step.id(), first, "step", null);
                    return;
                }
                switch (field) {
                    case "status" -> graph.addRead(step.id(), first, "status", null);
                    case "outputs" -> {
                        String out = r.at(2);
                        Step producer = byId.get(first);
                        if (out != null && producer.capture().stream().noneMatch(c -> c.name().equals(out))) {
                            List<String> names = producer.capture().stream().map(Capture::name).toList();
                            problems.error(at, "step '" + first + "' has no output '" + out + "'" + didYouMean(out, names),
                                    names.isEmpty() ? "it captures nothing: add capture: {" + out + ": ...} to it"
                                            : "it captures: " + String.join(", ", names));
                            return;
                        }
                        graph.addRead(step.id(), first, "outputs", out);
                    }
                    default -> problems.error(at, "unknown field '" + field + "' of step '" + first + "': a step has outputs and status");
                }
            }
            default -> {
            }
        }
    }

    /** A group with forEach is already an error; 'item' inside it is not reported again. */
    private boolean inGroupWithForEach(Step step) {
        if (step == null) {
            return false;
        }
        for (String g : ancestors.getOrDefault(step.id(), Set.of())) {
            if (byId.get(g) != null && byId.get(g).forEach() != null) {
                return true;
            }
        }
        return false;
    }

    /** True when the file declares {@code name} under the top-level {@code section}, even if malformed. */
    private boolean declaredInFile(String section, String name) {
        return rb.root().get(section) instanceof YMap m && m.has(name);
    }

    private static String kindWords(Target t) {
        return Target.kindWords(t);
    }

    private static String didYouMean(String word, java.util.Collection<String> candidates) {
        String c = Suggest.closest(word, candidates);
        return c == null ? "" : " (did you mean '" + c + "'?)";
    }
}
