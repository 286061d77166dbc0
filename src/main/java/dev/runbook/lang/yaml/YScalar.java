package dev.runbook.lang.yaml;

import dev.runbook.lang.Pos;

/**
 * A YAML scalar: its resolved value (YAML 1.2 core schema), its text as written, and enough
 * layout to map an offset inside the text back to a line and column.
 *
 * @param value     String, Long, java.math.BigInteger, Double, Boolean or null
 * @param text      the scalar's content after YAML unquoting/folding
 * @param style     how it was written
 * @param bodyLine  for block scalars (| and &gt;), the line of the first content line
 * @param bodyIndent for block scalars, the column (1-based) where content starts
 * @param raw       for a quoted scalar on one line, its text between the quotes as written
 *                  (escapes not yet applied); null otherwise
 */
public record YScalar(Pos pos, Object value, String text, Style style, int bodyLine, int bodyIndent, String raw)
        implements YNode {

    public enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL, FOLDED }

    public YScalar(Pos pos, Object value, String text, Style style, int bodyLine, int bodyIndent) {
        this(pos, value, text, style, bodyLine, bodyIndent, null);
    }

    public boolean isString() {
        return value instanceof String;
    }

    /**
     * Best position for the character at {@code offset} of {@link #text()}. Exact for plain
     * and quoted scalars on one line and for literal blocks; otherwise the scalar's own position.
     */
    public Pos posAt(int offset) {
        switch (style) {
            case PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED -> {
                String before = text.substring(0, Math.min(offset, text.length()));
                if (before.indexOf('\n') >= 0) {
                    return pos;
                }
                if (style == Style.PLAIN) {
                    return new Pos(pos.line(), pos.col() + offset);
                }
                int at = rawIndex(offset);
                return at < 0 ? pos : new Pos(pos.line(), pos.col() + 1 + at);
            }
            case LITERAL -> {
                if (bodyLine <= 0) {
                    return pos;
                }
                int line = bodyLine;
                int lineStart = 0;
                for (int i = 0; i < offset && i < text.length(); i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                        lineStart = i + 1;
                    }
                }
                return new Pos(line, bodyIndent + (offset - lineStart));
            }
            default -> {
                return pos;
            }
        }
    }

    // equals and hashCode as a record would derive them, written out: the derived ones are bound
    // through invokedynamic on first use, which costs a CLI start about 10 ms per record type
    // (scalars are hashed as keys of the template cache).
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof YScalar s && bodyLine == s.bodyLine && bodyIndent == s.bodyIndent
                && style == s.style && pos.equals(s.pos) && java.util.Objects.equals(value, s.value)
                && java.util.Objects.equals(text, s.text) && java.util.Objects.equals(raw, s.raw);
    }

    @Override
    public int hashCode() {
        int h = pos.hashCode();
        h = 31 * h + java.util.Objects.hashCode(value);
        h = 31 * h + java.util.Objects.hashCode(text);
        h = 31 * h + java.util.Objects.hashCode(raw);
        h = 31 * h + java.util.Objects.hashCode(style);
        h = 31 * h + bodyLine;
        return 31 * h + bodyIndent;
    }

    /**
     * Where the character at {@code offset} of the value stands in {@link #raw()}: an escape
     * such as {@code \\t} or {@code ''} is longer as written than as read. -1 when unknown.
     */
    private int rawIndex(int offset) {
        if (raw == null) {
            return -1;
        }
        int r = 0;
        for (int t = 0; t < offset; t++) {
            if (r >= raw.length()) {
                return -1;
            }
            char c = raw.charAt(r);
            if (style == Style.SINGLE_QUOTED) {
                r += c == '\'' ? 2 : 1;
            } else if (c == '\\' && r + 1 < raw.length()) {
                char e = raw.charAt(r + 1);
                int len = switch (e) {
                    case 'x' -> 4;
                    case 'u' -> 6;
                    case 'U' -> 10;
                    default -> 2;
                };
                if (e == 'U' && Character.isSupplementaryCodePoint(parseHex(raw, r + 2, 8))) {
                    t++; // one escape, two chars of the value
                }
                r += len;
            } else {
                r++;
            }
        }
        return r <= raw.length() ? r : -1;
    }

    private static int parseHex(String s, int from, int len) {
        try {
            return Integer.parseInt(s.substring(from, Math.min(s.length(), from + len)), 16);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Why this number cannot be used, or null: an integer beyond 64 bits, or a number beyond
     * what a double holds (1e400 would otherwise become Infinity). Written for the position of
     * the value, the same words wherever a number is read (runbook, params file).
     */
    public String rangeProblem() {
        if (value instanceof java.math.BigInteger) {
            return text + " is out of range for an integer: " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (value instanceof Double d && d.isInfinite() && !text.strip().toLowerCase(java.util.Locale.ROOT).endsWith("inf")) {
            return text + " is out of range for a number: at most " + Double.MAX_VALUE + " either side of 0";
        }
        return null;
    }

    @Override
    public Object toPlain() {
        return value;
    }

    @Override
    public String kind() {
        return kindOf(value);
    }

    public static String kindOf(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Boolean) {
            return "a boolean";
        } else if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) {
            return "an integer";
        } else if (v instanceof Number) {
            return "a number";
        } else if (v instanceof java.util.Map) {
            return "a map";
        } else if (v instanceof java.util.List) {
            return "a list";
        }
        return v.getClass().getSimpleName();
    }
}
