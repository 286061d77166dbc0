package dev.runbook.engine;

/**
 * How a run ended, with the exit code of SPEC section 8. {@code state} is one of succeeded,
 * failed, declined, interrupted (a dry run that passed is succeeded).
 */
public record RunOutcome(String state, int exitCode, String message) {
    // The codes a run can end with, as named in ExitCodes (the one list).
    public static final int OK = ExitCodes.OK;
    public static final int STEP_FAILED = ExitCodes.STEP_FAILED;
    public static final int PROMPT = ExitCodes.PROMPT;
    public static final int INTERRUPTED = ExitCodes.INTERRUPTED;
}
