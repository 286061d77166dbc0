package dev.runbook.engine;

import java.util.Map;

/**
 * How one execution of a step (the step itself, or one forEach element) ended, before the
 * executions are summed up into the step's result.
 *
 * @param wouldRun       dry run: what a mutating execution would have run
 * @param kind           why it failed, which decides whether the run stops; null when it did not fail
 * @param unknownOutputs dry run: the outputs are not known because the action did not really run
 */
record ItemOutcome(StepState state, Map<String, Object> outputs, Object wouldRun, String error,
                   ActionException.Kind kind, Answer answer, int attempts, boolean unknownOutputs) {

    static ItemOutcome interrupted(Answer answer, int attempts) {
        return new ItemOutcome(StepState.INTERRUPTED, Map.of(), null, "interrupted", null, answer, attempts, false);
    }

    static ItemOutcome succeeded(Map<String, Object> outputs, Answer answer, int attempts) {
        return new ItemOutcome(StepState.SUCCEEDED, outputs, null, null, null, answer, attempts, false);
    }

    boolean stopsTheStep() {
        return state == StepState.FAILED || state == StepState.INTERRUPTED;
    }
}
