package dev.runbook.lang.model;

import dev.runbook.expr.Expr;

/** {@code name: expression} under a step's {@code capture}. */
public record Capture(String name, Expr expr) {
}
