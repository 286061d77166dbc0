package dev.runbook.cli;

/** Ends the command with a message on stderr and a documented exit code. */
public class ExitException extends RuntimeException {
    private final int code;

    public ExitException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
