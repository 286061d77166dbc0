package dev.runbook.expr;

/**
 * An expression could not be evaluated. {@link #missingKey()} says whether it read a key its
 * value does not have (a map without that key, an output a skipped step never made), so that
 * the engine can say why without searching the message.
 */
public class EvalException extends Exception {
    private final boolean missingKey;

    public EvalException(String message) {
        this(message, false);
    }

    public EvalException(String message, boolean missingKey) {
        super(message);
        this.missingKey = missingKey;
    }

    public boolean missingKey() {
        return missingKey;
    }
}
