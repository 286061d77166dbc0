package dev.runbook.console;

/**
 * Text from outside (a step's output, an error, a captured value) made safe to print on an
 * operator's terminal. A pod log or a script can hold escape sequences that retitle, clear or
 * recolour the terminal, or hide what was printed (a carriage return, a bidirectional
 * override); they are shown escaped, as {@code \x1b[2J} or {@code \u202e}, so the operator sees
 * that they were there and what they were. Tabs stay: they only move the cursor forward.
 */
public final class TerminalText {
    private TerminalText() {
    }

    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int first = firstUnsafe(s);
        if (first < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!unsafe(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** As {@link #escape}, but a line break stays a line break (for text printed as several lines). */
    public static String escapeKeepingLines(String s) {
        if (s == null || firstUnsafe(s) < 0) {
            return s;
        }
        String[] lines = s.split("\n", -1);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                out.append('\n');
            }
            out.append(escape(lines[i]));
        }
        return out.toString();
    }

    private static int firstUnsafe(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (unsafe(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * C0 controls but tab, DEL, C1 controls (U+009B alone starts a sequence on some terminals),
     * and the Unicode controls that reorder or hide text.
     */
    static boolean unsafe(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200e || c == 0x200f || c == 0x061c;
    }
}
