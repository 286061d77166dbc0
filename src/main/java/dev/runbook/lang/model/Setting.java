package dev.runbook.lang.model;

import dev.runbook.expr.Expr;

/**
 * A step setting ({@code retries}, {@code interval}, {@code timeout}) as written: a value, or
 * one {@code ${{ }}} of params and vars, computed once the params are bound
 * ({@link dev.runbook.lang.StepSettings}).
 *
 * @param value the value as written, or null when computed
 * @param expr  the expression, or null when written as a value
 */
public record Setting<T>(T value, Expr expr) {
    public static <T> Setting<T> of(T value) {
        return value == null ? null : new Setting<>(value, null);
    }

    public static <T> Setting<T> computed(Expr expr) {
        return new Setting<>(null, expr);
    }

    /** How it was written, for plans and messages: the value, or the expression's source. */
    public String source() {
        return expr != null ? "${{ " + expr.source() + " }}" : String.valueOf(value);
    }
}
