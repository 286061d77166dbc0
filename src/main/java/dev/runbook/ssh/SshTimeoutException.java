package dev.runbook.ssh;

/**
 * A remote command ran out of time (or was interrupted); the message says whether the command
 * was stopped on the host, so the caller can treat it as a timeout rather than a failure.
 */
public final class SshTimeoutException extends SshException {
    private final boolean stopped;

    public SshTimeoutException(String message, boolean stopped) {
        super(message);
        this.stopped = stopped;
    }

    /** Whether every process of the command is known to be gone from the host. */
    public boolean stopped() {
        return stopped;
    }
}
