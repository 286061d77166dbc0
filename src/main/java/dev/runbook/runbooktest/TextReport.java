package dev.runbook.runbooktest;

import java.util.List;

/** The console output of {@code runbook test}: one line per test, then the summary line. */
public final class TextReport {
    private TextReport() {
    }

    /** {@code PASS name 3.2s}, or {@code FAIL name 4.1s} with its differences and the run's last lines. */
    public static String result(TestResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.passed() ? "PASS " : "FAIL ").append(r.name()).append(' ').append(r.seconds()).append("s\n");
        if (!r.passed()) {
            for (String d : r.differences()) {
                sb.append("    ").append(d).append('\n');
            }
            if (!r.consoleTail().isEmpty()) {
                sb.append("    last lines of the run:\n");
                for (String line : r.consoleTail()) {
                    sb.append("      | ").append(line).append('\n');
                }
            }
        }
        return sb.toString();
    }

    /** Exactly {@code N passed, N failed}: CI systems read this line. */
    public static String summary(List<TestResult> results) {
        long passed = results.stream().filter(TestResult::passed).count();
        return passed + " passed, " + (results.size() - passed) + " failed";
    }

    /** 0 when every test passed, 1 otherwise. */
    public static int exitCode(List<TestResult> results) {
        return results.stream().allMatch(TestResult::passed) ? 0 : 1;
    }
}
