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
 */
public record YScalar(Pos pos, Object value, String text, Style style, int bodyLine, int bodyIndent) implements YNode {

    public enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, LITERAL, FOLDED }

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
                if (before.indexOf('\n') >= 0 || (style == Style.DOUBLE_QUOTED && before.indexOf('\\') >= 0)) {
                    return pos;
                }
                int quote = style == Style.PLAIN ? 0 : 1;
                return new Pos(pos.line(), pos.col() + quote + offset);
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
                && java.util.Objects.equals(text, s.text);
    }

    @Override
    public int hashCode() {
        int h = pos.hashCode();
        h = 31 * h + java.util.Objects.hashCode(value);
        h = 31 * h + java.util.Objects.hashCode(text);
        h = 31 * h + java.util.Objects.hashCode(style);
        h = 31 * h + bodyLine;
        return 31 * h + bodyIndent;
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
