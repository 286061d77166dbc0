package dev.runbook.runbooktest;

import java.time.Duration;
import java.util.List;

/**
 * How one test went.
 *
 * @param differences one line per expectation the run did not meet; empty when it passed
 * @param consoleTail the last lines of the run's console, for a failure
 * @param stoppedAt   the step that stopped the run (the failed step, a declined confirm
 *                    included), or null: what coverage counts as the guard the test trips
 */
public record TestResult(TestSpec spec, Duration elapsed, List<String> differences, List<String> consoleTail,
                         String stoppedAt) {
    public TestResult {
        differences = List.copyOf(differences);
        consoleTail = List.copyOf(consoleTail);
    }

    public boolean passed() {
        return differences.isEmpty();
    }

    public String name() {
        return spec.name();
    }

    /** Seconds with one decimal, as the result line and the JUnit report show them. */
    public String seconds() {
        return String.format(java.util.Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0);
    }
}
