package dev.runbook.lang;

import java.util.List;
import java.util.stream.Collectors;

/** A runbook (or its params) has problems; carries every one of them. Exit code 2. */
public class InvalidRunbookException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public InvalidRunbookException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
