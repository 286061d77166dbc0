package dev.runbook.ssh;

/**
 * A failure on an ssh target, as one line an operator can act on ("authentication failed for
 * deploy@db1: ..."). Never carries a password or other secret. No cause is kept on purpose:
 * JSch's exceptions say less than the message and would tempt a caller to print a stack trace.
 */
public class SshException extends RuntimeException {
    public SshException(String message) {
        super(message, null, false, false);
    }
}
