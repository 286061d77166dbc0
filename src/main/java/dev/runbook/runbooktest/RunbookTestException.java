package dev.runbook.runbooktest;

import dev.runbook.lang.Diagnostic;
import java.util.List;

/**
 * A problem that stops {@code runbook test} before or instead of running a test: a bad test
 * spec (with its {@code FILE:LINE:COL} diagnostics), no test found, a path that does not exist.
 * Its message is what the user reads, one line per problem.
 */
public class RunbookTestException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public RunbookTestException(String message) {
        super(message);
        this.diagnostics = List.of();
    }

    public RunbookTestException(List<Diagnostic> diagnostics) {
        super(String.join("\n", diagnostics.stream().map(Diagnostic::format).toList()));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
