package dev.runbook.engine;

import dev.runbook.lang.model.Step;
import java.util.List;

/**
 * Runs one kind of action. One instance per run, made when the first step of its kind runs
 * (so a run that has no kubectl step never loads the Kubernetes client). Handlers keep no
 * state between invocations; per-run state (connections, sessions) goes in
 * {@link RunContext#resource}.
 */
public interface ActionHandler {
    /**
     * Renders the step's action with {@code ctx.scope()} for one execution (one forEach
     * element). Everything that depends on values is resolved here, so that a dry run can show
     * exactly what would run. In {@linkplain ActionContext#preview() preview} mode values not
     * known yet render as {@code ${{ ... }}} instead of failing.
     */
    Invocation prepare(Step step, ActionContext ctx) throws ActionException;

    /**
     * What a real run of this step will need, checked by a dry run before its first step:
     * executables, targets. Values known before the run can be read from {@code ctx.scope()}.
     */
    default List<Requirement> requirements(Step step, ActionContext ctx) {
        return List.of();
    }
}
