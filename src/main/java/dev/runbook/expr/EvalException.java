package dev.runbook.expr;

/** An expression could not be evaluated (a missing key, a type mismatch, a division by zero...). */
public class EvalException extends Exception {
    public EvalException(String message) {
        super(message);
    }
}
