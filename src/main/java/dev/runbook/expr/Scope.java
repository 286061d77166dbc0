package dev.runbook.expr;

import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Var;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names every expression of a run can read before any step runs: {@code params},
 * {@code vars} (computed now, in order), {@code run} and {@code env}. Steps add {@code steps},
 * {@code result}, {@code item} and {@code index} to a copy of this.
 */
public final class Scope {
    private Scope() {
    }

    /** The scope of a run; {@code compiled} holds the runbook's checked templates. */
    public static Map<String, Object> initial(Runbook rb, Map<String, Object> params, String runId, boolean dryRun,
                                              Map<String, String> env, CompiledExpressions compiled) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("params", params);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("id", runId);
        run.put("dryRun", dryRun);
        scope.put("run", run);
        scope.put("env", env);
        Map<String, Object> vars = new LinkedHashMap<>();
        scope.put("vars", vars);
        for (Var v : rb.vars()) {
            try {
                vars.put(v.name(), Renderer.render(v.value(), scope, compiled));
            } catch (EvalException e) {
                throw new InvalidRunbookException(List.of(new Diagnostic(rb.file(), v.pos(),
                        "var '" + v.name() + "' cannot be computed: " + e.getMessage())));
            }
        }
        return scope;
    }

    /**
     * The scope of a plan: params, env and the vars that can be computed before running. There
     * is no run yet, so {@code run} is absent; a var that reads what only a run knows is left
     * out. Expressions reading either are then shown as {@code ${{ ... }}}, never guessed.
     */
    public static Map<String, Object> forPlan(Runbook rb, Map<String, Object> params, Map<String, String> env,
                                              CompiledExpressions compiled) {
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("params", params);
        scope.put("env", env);
        Map<String, Object> vars = new LinkedHashMap<>();
        scope.put("vars", vars);
        for (Var v : rb.vars()) {
            if (!Renderer.knowable(v.value(), scope, compiled)) {
                continue;
            }
            try {
                vars.put(v.name(), Renderer.render(v.value(), scope, compiled));
            } catch (EvalException e) {
                throw new InvalidRunbookException(List.of(new Diagnostic(rb.file(), v.pos(),
                        "var '" + v.name() + "' cannot be computed: " + e.getMessage())));
            }
        }
        return scope;
    }
}
