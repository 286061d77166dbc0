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

    @Override
    public int compareTo(Diagnostic o) {
        int c = String.valueOf(file).compareTo(String.valueOf(o.file));
        if (c != 0 || pos == null || o.pos == null) {
            return c;
        }
        return pos.compareTo(o.pos);
    }
}
