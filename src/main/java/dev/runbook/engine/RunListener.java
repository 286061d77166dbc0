package dev.runbook.engine;

import dev.runbook.lang.model.Step;
import java.time.Duration;
import java.util.List;

/**
 * What the engine tells the outside world as a run progresses: the console, the journal and
 * the report each implement this. Calls arrive in order and never concurrently (the engine
 * serialises them, also for {@code parallel} forEach steps); {@link #stepStarted} for a step
 * always returns before its action starts, so a durable listener (the journal) has the record
 * on disk before anything changes. Everything passed here is already redacted. A listener
 * that throws stops the run: a run that cannot be recorded must not go on.
 */
public interface RunListener {
    default void runStarted(RunInfo info) {
    }

    /** A dry run's checks of what a real run needs, before its first step. */
    default void preflight(List<Requirement> checks) {
    }

    /** Called before each attempt: attempt 1, then 2, 3... when the step is retried. */
    default void stepStarted(Step step, int attempt) {
    }

    /** A line of live output of the running step (stdout or stderr), already redacted. */
    default void stepOutput(Step step, String line, boolean stderr) {
    }

    /** An attempt failed and the step will be tried again after {@code wait}. */
    default void stepRetrying(Step step, int attempt, String error, Duration wait) {
    }

    /**
     * An {@code until} condition is not met yet. {@code timeout} is null when the step has
     * none; {@code last} describes the last value seen (the condition, or the attempt's error).
     */
    default void stepWaiting(Step step, int attempt, Duration elapsed, Duration timeout, String last) {
    }

    default void stepFinished(Step step, StepResult result) {
    }

    /** A result carried over from before (resume): the step is not run again. */
    default void stepCarried(Step step, StepResult result) {
    }

    default void runFinished(RunInfo info, RunOutcome outcome) {
    }
}
