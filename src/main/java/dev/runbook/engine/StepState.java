package dev.runbook.engine;

import java.util.Locale;

/** The states of SPEC section 2. */
public enum StepState {
    PENDING, RUNNING, SUCCEEDED, FAILED, SKIPPED, SATISFIED, BLOCKED, INTERRUPTED, WOULD_RUN;

    /** As written in journals, reports and JSON: lower case with dashes ("would-run"). */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static StepState of(String word) {
        return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** A state after which the step will not run again in this run. */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    /** Completed in the sense of resume: its outputs can be reused. */
    public boolean isDone() {
        return this == SUCCEEDED || this == SATISFIED || this == SKIPPED;
    }
}
