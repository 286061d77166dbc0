package dev.runbook.engine;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import java.util.Map;
import java.util.Set;

/**
 * What resume and {@code --from} decided about the steps before the run: results carried
 * over, the steps skipped before the start, and the steps to ask about before running them
 * again. All empty for a plain run.
 *
 * @param from          the {@code --from} step, or null
 * @param skippedByFrom main steps before {@code from} that do not run
 * @param askFirst      steps that may have done part of their work, each with why
 */
record Resumption(Map<String, StepResult> carried, String from, Set<String> skippedByFrom, Map<String, String> askFirst) {

    /** The result from before of a step that is done and is not run again, or null. Groups always run. */
    StepResult carriedDone(Step s) {
        StepResult prior = carried.get(s.id());
        return prior != null && prior.state().isDone() && !(s.action() instanceof Action.Group)
                ? prior : null;
    }

    boolean skipped(Step s) {
        return skippedByFrom.contains(s.id());
    }

    /** Why the step must be confirmed before it runs again, or null. */
    String askFirst(Step s) {
        return askFirst.get(s.id());
    }
}
