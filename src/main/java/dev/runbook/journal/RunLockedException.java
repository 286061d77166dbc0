package dev.runbook.journal;

/** A run held by another live process; the CLI prints the message and exits 4. */
public class RunLockedException extends RuntimeException {
    private final transient RunLock.Holder holder;

    public RunLockedException(String message, RunLock.Holder holder) {
        super(message);
        this.holder = holder;
    }

    /** The holder as its lock file says, or null when it could not be read. */
    public RunLock.Holder holder() {
        return holder;
    }
}
