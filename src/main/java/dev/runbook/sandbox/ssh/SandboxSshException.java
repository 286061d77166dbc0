package dev.runbook.sandbox.ssh;

/**
 * A simulated SSH host could not be started or found. The message is one sentence for the
 * operator, starting with {@code sandbox:}, that says what to do about it.
 */
public class SandboxSshException extends Exception {
    public SandboxSshException(String message) {
        super(message);
    }

    public SandboxSshException(String message, Throwable cause) {
        super(message, cause);
    }
}
