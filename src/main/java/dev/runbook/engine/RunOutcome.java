package dev.runbook.engine;

/**
 * How a run ended, with the exit code of SPEC section 8. {@code state} is one of succeeded,
 * failed, declined, interrupted (a dry run that passed is succeeded).
 */
public record RunOutcome(String state, int exitCode, String message) {
    public static final int OK = 0;
    public static final int STEP_FAILED = 1;
    public static final int PROMPT = 3;
    public static final int INTERRUPTED = 130;
}
