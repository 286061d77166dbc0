package dev.runbook.sandbox;

/** A sandbox that cannot be started or used: a one-line message for the operator (exit 2). */
public final class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
