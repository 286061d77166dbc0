package dev.runbook.expr;

import dev.runbook.lang.Problems;
import dev.runbook.lang.yaml.YScalar;
import java.util.ArrayList;
import java.util.List;

/**
 * A string with {@code ${{ EXPR }}} holes. A string that is exactly one hole keeps the value's
 * type when rendered; otherwise every value is formatted into the text.
 *
 * @param parts String literals and {@link Expr} holes, in order
 */
public record Template(YScalar scalar, List<Object> parts) {
    public static final String OPEN = "${{";
    public static final String CLOSE = "}}";

    public Template {
        parts = List.copyOf(parts);
    }

    public boolean hasHoles() {
        for (Object p : parts) {
            if (p instanceof Expr) {
                return true;
            }
        }
        return false;
    }

    /** True when the whole string is one {@code ${{ }}}, optionally surrounded by blanks. */
    public boolean isSingleHole() {
        Expr only = null;
        for (Object p : parts) {
            if (p instanceof Expr e) {
                if (only != null) {
                    return false;
                }
                only = e;
            } else if (!((String) p).isBlank()) {
                return false;
            }
        }
        return only != null;
    }

    public List<Expr> holes() {
        List<Expr> out = new ArrayList<>();
        for (Object p : parts) {
            if (p instanceof Expr e) {
                out.add(e);
            }
        }
        return out;
    }

    public static boolean mayHoldTemplate(String s) {
        return s.contains(OPEN);
    }

    /**
     * Splits a scalar's text into literals and expressions. An unclosed {@code ${{} is reported
     * to {@code problems} and the rest of the text is kept as a literal.
     */
    public static Template parse(YScalar scalar, Problems problems) {
        String s = scalar.text();
        List<Object> parts = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int open = s.indexOf(OPEN, i);
            if (open < 0) {
                parts.add(s.substring(i));
                break;
            }
            if (open > i) {
                parts.add(s.substring(i, open));
            }
            int start = open + OPEN.length();
            int close = findClose(s, start);
            if (close < 0) {
                problems.error(scalar.posAt(open), "unclosed '${{': missing '}}'");
                parts.add(s.substring(open));
                break;
            }
            String body = s.substring(start, close);
            int lead = 0;
            while (lead < body.length() && Character.isWhitespace(body.charAt(lead))) {
                lead++;
            }
            String src = body.strip();
            if (src.isEmpty()) {
                problems.error(scalar.posAt(open), "empty expression '${{ }}'");
            } else {
                parts.add(Expr.cel(src, scalar, start + lead));
            }
            i = close + CLOSE.length();
        }
        return new Template(scalar, parts);
    }

    /** Finds the {@code }}} that closes a hole, skipping braces and quotes inside CEL. */
    private static int findClose(String s, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) {
                    return i + 1 < s.length() && s.charAt(i + 1) == '}' ? i : -1;
                }
                depth--;
            }
        }
        return -1;
    }
}
