package dev.runbook.lang;

import java.util.List;

/**
 * One problem in a runbook, printed as {@code FILE:LINE:COL: error: MESSAGE} with optional
 * indented hint lines beneath it. A problem on the command line has no file and no position
 * and prints as {@code error: MESSAGE}.
 */
public record Diagnostic(String file, Pos pos, String message, List<String> hints) implements Comparable<Diagnostic> {

    public Diagnostic {
        hints = List.copyOf(hints);
    }

    public Diagnostic(String file, Pos pos, String message) {
        this(file, pos, message, List.of());
    }

    public String format() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file).append(':');
            if (pos != null) {
                sb.append(pos.line()).append(':').append(pos.col()).append(':');
            }
            sb.append(' ');
        }
        sb.append("error: ").append(message);
        for (String h : hints) {
            sb.append("\n    ").append(h);
        }
        return sb.toString();
    }

    // equals and hashCode as a record would derive them, written out: the derived ones are bound
    // through invokedynamic on first use, which costs a CLI start about 10 ms per record type
    // (problems are kept in a hash set).
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Diagnostic d && java.util.Objects.equals(file, d.file)
                && java.util.Objects.equals(pos, d.pos) && java.util.Objects.equals(message, d.message)
                && java.util.Objects.equals(hints, d.hints);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(file, pos, message, hints);
    }

    @Override
    public int compareTo(Diagnostic o) {
        int c = String.valueOf(file).compareTo(String.valueOf(o.file));
        if (c != 0 || pos == null || o.pos == null) {
            return c;
        }
        return pos.compareTo(o.pos);
    }
}
