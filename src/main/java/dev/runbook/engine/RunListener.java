package dev.runbook.engine;

import dev.runbook.lang.model.Step;

/**
 * What the engine tells the outside world as a run progresses: the console, the journal and
 * the report each implement this. Calls arrive in order; {@link #stepStarted} for a step
 * always returns before its action starts, so a durable listener (the journal) has the record
 * on disk before anything changes.
 */
public interface RunListener {
    default void runStarted(RunInfo info) {
    }

    default void stepStarted(Step step, int attempt) {
    }

    /** A line of live output of the running step (stdout or stderr), already redacted. */
    default void stepOutput(Step step, String line, boolean stderr) {
    }

    default void stepFinished(Step step, StepResult result) {
    }

    default void runFinished(RunInfo info, RunOutcome outcome) {
    }
}
