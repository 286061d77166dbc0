package dev.runbook.engine;

import java.time.Instant;
import java.util.Map;

/**
 * The end of one step. {@code outputs} are the captured values (empty for a sensitive step
 * when written to disk); {@code wouldRun} is, in a dry run, exactly what a mutating step would
 * have run (argv, script, manifest...); {@code error} is a redacted, readable sentence;
 * {@code note} says why a step did not run or what to know about it ("when: ... is false",
 * "not rehearsable: ...", "reused from the run's journal"), or is null.
 */
public record StepResult(
        String id,
        StepState state,
        Map<String, Object> outputs,
        Instant startedAt,
        Instant endedAt,
        String error,
        Answer answer,
        Object wouldRun,
        int attempts,
        String note) {

    public StepResult(String id, StepState state, Map<String, Object> outputs, Instant startedAt, Instant endedAt,
                      String error, Answer answer, Object wouldRun, int attempts) {
        this(id, state, outputs, startedAt, endedAt, error, answer, wouldRun, attempts, null);
    }

    public long durationMillis() {
        return startedAt == null || endedAt == null ? 0 : endedAt.toEpochMilli() - startedAt.toEpochMilli();
    }
}
