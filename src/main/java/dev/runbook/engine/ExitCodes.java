package dev.runbook.engine;

/** The exit codes of SPEC section 8: the one list, for the engine's outcomes and the command line. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int STEP_FAILED = 1;
    public static final int INVALID = 2;
    public static final int PROMPT = 3;
    public static final int LOCKED = 4;
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
