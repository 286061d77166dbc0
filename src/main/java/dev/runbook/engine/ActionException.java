package dev.runbook.engine;

/**
 * An action did not succeed. The message is a sentence for the operator (the engine redacts
 * it); the kind decides what happens to the run.
 */
public class ActionException extends Exception {
    public enum Kind {
        /** The action failed: the step fails (exit 1), and may be retried. */
        FAILED,
        /** The action ran out of time: as FAILED, with the process tree stopped. */
        TIMED_OUT,
        /** A confirm was declined: the run stops, exit 3. */
        DECLINED,
        /** A prompt has no answer and no terminal to ask: the run stops, exit 3. */
        UNANSWERABLE,
        /** A declined confirm with {@code onDecline: skip}: the step is skipped. */
        SKIPPED,
        /** Dry run only: the value is not known without a real run (an unanswered prompt). */
        UNKNOWN,
        /**
         * The runbook asks for something that cannot work (an {@code until} that gives no
         * boolean): the step fails at once, as trying again would give the same.
         */
        INVALID
    }

    private final Kind kind;

    public ActionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ActionException(String message) {
        this(Kind.FAILED, message);
    }

    /** A failed action because an expression could not be evaluated: {@code cause} says why. */
    public ActionException(String message, dev.runbook.expr.EvalException cause) {
        super(message, cause);
        this.kind = Kind.FAILED;
    }

    /** Whether an expression read a key its value does not have ({@link dev.runbook.expr.EvalException#missingKey}). */
    public boolean missingKey() {
        return getCause() instanceof dev.runbook.expr.EvalException e && e.missingKey();
    }

    public Kind kind() {
        return kind;
    }

    /** Whether trying again might help. */
    public boolean retryable() {
        return kind == Kind.FAILED || kind == Kind.TIMED_OUT;
    }
}
