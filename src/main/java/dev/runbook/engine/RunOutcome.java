package dev.runbook.engine;

/** How a run ended, with the exit code of SPEC section 8. */
public record RunOutcome(String state, int exitCode, String message) {
}
