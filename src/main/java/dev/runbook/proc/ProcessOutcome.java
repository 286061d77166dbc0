package dev.runbook.proc;

/**
 * How a process ended. {@code timedOut} and {@code killed} (interrupted) say the process tree
 * was stopped by us; {@code warning} is a sentence for the operator (output cut, a background
 * process that kept the output open), or null.
 */
public record ProcessOutcome(int exitCode, String stdout, String stderr, boolean timedOut, boolean killed,
                             String warning) {
}
