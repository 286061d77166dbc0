package dev.runbook.expr;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSource;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.internal.CelCodePointArray;
import java.util.HashMap;
import java.util.Map;

/**
 * Expressions that differ only in the values of simple string and integer literals, such as
 * {@code steps['pods-1'].outputs.names} and {@code steps['pods-2'].outputs.names}, share one
 * compile: the checked tree of the first is copied with the other's literal values and source
 * positions.
 *
 * <p>Why: generated runbooks repeat a few expression forms with different step ids thousands
 * of times, and parsing and checking each one costs far more than this copy. It is exact
 * because CEL's parser gives two texts with the same tokens the same tree and ids, and its
 * checker looks only at the kind of a literal, never at its value. Anything this class is not
 * sure about (other literal forms, escapes, non-ASCII text, a literal that is not one constant
 * of the tree) is left to a real compile; a test compares copies with real compiles.
 */
final class CelShapes {
    private static final char STRING = 's';
    private static final char INT = 'i';

    private CelShapes() {
    }

    /**
     * The tokens of one expression text: its key (the text with every shareable literal
     * replaced by a marker of its kind), and where each such literal stands.
     */
    record Shape(String key, int[] starts, int[] ends, char[] kinds) {
        int count() {
            return starts.length;
        }

        Object value(String text, int k) {
            String token = text.substring(starts[k], ends[k]);
            return kinds[k] == STRING ? token.substring(1, token.length() - 1) : Long.parseLong(token);
        }
    }

    /** The shape of {@code text}, or null when it has a literal form this class does not handle. */
    static Shape of(String text) {
        StringBuilder key = new StringBuilder(text.length());
        int[] starts = new int[8];
        int[] ends = new int[8];
        char[] kinds = new char[8];
        int n = 0;
        int i = 0;
        int len = text.length();
        while (i < len) {
            char c = text.charAt(i);
            if (c == 0 || c > 126) {
                return null; // code point offsets differ from char offsets; keep it simple
            }
            int start = i;
            char kind = 0;
            if (c == '\'' || c == '"') {
                if (i + 2 < len && text.charAt(i + 1) == c && text.charAt(i + 2) == c) {
                    return null; // triple-quoted
                }
                int j = i + 1;
                while (j < len && text.charAt(j) != c) {
                    char d = text.charAt(j);
                    if (d == '\\' || d == '\n' || d == '\r' || d == 0 || d > 126) {
                        return null;
                    }
                    j++;
                }
                if (j >= len) {
                    return null; // unclosed: a parse error, which a real compile reports
                }
                i = j + 1;
                kind = STRING;
            } else if (c >= '0' && c <= '9') {
                if (start > 0 && text.charAt(start - 1) == '.') {
                    return null; // '.5' is a double
                }
                int j = i;
                while (j < len && text.charAt(j) >= '0' && text.charAt(j) <= '9') {
                    j++;
                }
                if (j < len && (Character.isLetter(text.charAt(j)) || text.charAt(j) == '_' || text.charAt(j) == '.')) {
                    return null; // 1u, 0x1F, 1.5, 1e3
                }
                if ((j - i > 1 && c == '0') || j - i > 18) {
                    return null;
                }
                i = j;
                kind = INT;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < len && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
                    j++;
                }
                if (j < len && (text.charAt(j) == '\'' || text.charAt(j) == '"')) {
                    return null; // r'...', b'...'
                }
                key.append(text, i, j);
                i = j;
                continue;
            } else {
                key.append(c);
                i++;
                continue;
            }
            if (n == starts.length) {
                starts = java.util.Arrays.copyOf(starts, n * 2);
                ends = java.util.Arrays.copyOf(ends, n * 2);
                kinds = java.util.Arrays.copyOf(kinds, n * 2);
            }
            starts[n] = start;
            ends[n] = i;
            kinds[n] = kind;
            n++;
            key.append('\u0000').append(kind);
        }
        return new Shape(key.toString(), java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n),
                java.util.Arrays.copyOf(kinds, n));
    }

    /**
     * The checked tree of {@code text} made from {@code template}, the checked tree of a text of
     * the same shape; null when it cannot be made exactly.
     */
    static CelAbstractSyntaxTree derive(CelAbstractSyntaxTree template, String templateText, Shape templateShape,
                                        String text, Shape shape) {
        if (!templateShape.key().equals(shape.key())) {
            return null;
        }
        Map<Integer, Integer> literalAt = new HashMap<>();
        for (int k = 0; k < templateShape.count(); k++) {
            literalAt.put(templateShape.starts()[k], k);
        }
        Map<Long, Integer> positions = template.getSource().getPositionsMap();
        Rewrite rw = new Rewrite(templateText, templateShape, text, shape, positions, literalAt);
        CelExpr expr = rw.copy(template.getExpr());
        Map<Long, CelExpr> macros = new HashMap<>();
        for (Map.Entry<Long, CelExpr> e : template.getSource().getMacroCalls().entrySet()) {
            macros.put(e.getKey(), rw.copy(e.getValue()));
        }
        if (rw.failed || rw.matched.cardinality() != templateShape.count()) {
            return null;
        }
        Map<Long, Integer> newPositions = new HashMap<>();
        for (Map.Entry<Long, Integer> e : positions.entrySet()) {
            int p = rw.position(e.getValue());
            if (p < 0) {
                return null;
            }
            newPositions.put(e.getKey(), p);
        }
        CelSource source = CelSource.newBuilder(CelCodePointArray.fromString(text))
                .setDescription(template.getSource().getDescription())
                .addPositionsMap(newPositions)
                .addAllMacroCalls(macros)
                .addAllExtensions(template.getSource().getExtensions())
                .build();
        return CelAbstractSyntaxTree.newCheckedAst(expr, source, template.getReferenceMap(), template.getTypeMap());
    }

    /** Copies trees with the new literal values; maps positions from the template text to the new one. */
    private static final class Rewrite {
        final String templateText;
        final Shape templateShape;
        final String text;
        final Shape shape;
        final Map<Long, Integer> positions;
        final Map<Integer, Integer> literalAt;
        final java.util.BitSet matched = new java.util.BitSet();
        boolean failed;

        Rewrite(String templateText, Shape templateShape, String text, Shape shape, Map<Long, Integer> positions,
                Map<Integer, Integer> literalAt) {
            this.templateText = templateText;
            this.templateShape = templateShape;
            this.text = text;
            this.shape = shape;
            this.positions = positions;
            this.literalAt = literalAt;
        }

        /** The offset in the new text of the token at {@code p} of the template text, or -1. */
        int position(int p) {
            int delta = 0;
            for (int k = 0; k < templateShape.count(); k++) {
                int s = templateShape.starts()[k];
                if (s == p) {
                    return shape.starts()[k];
                }
                if (s > p) {
                    break;
                }
                if (p < templateShape.ends()[k]) {
                    return -1; // inside a literal
                }
                delta += (shape.ends()[k] - shape.starts()[k]) - (templateShape.ends()[k] - s);
            }
            return p + delta;
        }

        CelExpr copy(CelExpr e) {
            long id = e.id();
            switch (e.getKind()) {
                case CONSTANT -> {
                    Integer pos = positions.get(id);
                    Integer k = pos == null ? null : literalAt.get(pos);
                    if (k == null) {
                        return e; // not written as a literal here (e.g. made by a macro)
                    }
                    CelConstant c = e.constant();
                    Object was = templateShape.value(templateText, k);
                    Object now = shape.value(text, k);
                    if (templateShape.kinds()[k] == STRING && c.getKind() == CelConstant.Kind.STRING_VALUE
                            && c.stringValue().equals(was)) {
                        matched.set(k);
                        return CelExpr.ofConstant(id, CelConstant.ofValue((String) now));
                    }
                    if (templateShape.kinds()[k] == INT && c.getKind() == CelConstant.Kind.INT64_VALUE
                            && c.int64Value() == (Long) was) {
                        matched.set(k);
                        return CelExpr.ofConstant(id, CelConstant.ofValue((long) (Long) now));
                    }
                    failed = true;
                    return e;
                }
                case SELECT -> {
                    var s = e.select();
                    return CelExpr.ofSelect(id, copy(s.operand()), s.field(), s.testOnly());
                }
                case CALL -> {
                    var c = e.call();
                    ImmutableList.Builder<CelExpr> args = ImmutableList.builderWithExpectedSize(c.args().size());
                    for (CelExpr a : c.args()) {
                        args.add(copy(a));
                    }
                    return CelExpr.ofCall(id, c.target().map(this::copy), c.function(), args.build());
                }
                case LIST -> {
                    var l = e.list();
                    ImmutableList.Builder<CelExpr> elements = ImmutableList.builderWithExpectedSize(l.elements().size());
                    for (CelExpr x : l.elements()) {
                        elements.add(copy(x));
                    }
                    return CelExpr.ofList(id, elements.build(), l.optionalIndices());
                }
                case MAP -> {
                    ImmutableList.Builder<CelExpr.CelMap.Entry> entries = ImmutableList.builder();
                    for (CelExpr.CelMap.Entry x : e.map().entries()) {
                        entries.add(CelExpr.ofMapEntry(x.id(), copy(x.key()), copy(x.value()), x.optionalEntry()));
                    }
                    return CelExpr.ofMap(id, entries.build());
                }
                case STRUCT -> {
                    ImmutableList.Builder<CelExpr.CelStruct.Entry> entries = ImmutableList.builder();
                    for (CelExpr.CelStruct.Entry x : e.struct().entries()) {
                        entries.add(CelExpr.ofStructEntry(x.id(), x.fieldKey(), copy(x.value()), x.optionalEntry()));
                    }
                    return CelExpr.ofStruct(id, e.struct().messageName(), entries.build());
                }
                case COMPREHENSION -> {
                    var c = e.comprehension();
                    return CelExpr.ofComprehension(id, c.iterVar(), c.iterVar2(), copy(c.iterRange()), c.accuVar(),
                            copy(c.accuInit()), copy(c.loopCondition()), copy(c.loopStep()), copy(c.result()));
                }
                default -> {
                    return e;
                }
            }
        }
    }
}
