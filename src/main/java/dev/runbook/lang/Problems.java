package dev.runbook.lang;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** Collects the problems of one file so that all of them are reported at once, in file order. */
public final class Problems {
    private final String file;
    private final LinkedHashSet<Diagnostic> list = new LinkedHashSet<>();

    public Problems(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    public void error(Pos pos, String message, String... hints) {
        list.add(new Diagnostic(file, pos == null ? Pos.START : pos, message, List.of(hints)));
    }

    /** Adds every problem of {@code other} after those already here, skipping duplicates. */
    void addAll(Problems other) {
        list.addAll(other.list);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    /** All problems, sorted by position; stable for problems at the same position. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> out = new ArrayList<>(list);
        out.sort(null);
        return out;
    }

    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new InvalidRunbookException(sorted());
        }
    }
}
