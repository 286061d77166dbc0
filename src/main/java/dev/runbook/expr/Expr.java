package dev.runbook.expr;

import dev.runbook.lang.Pos;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.cel.common.CelAbstractSyntaxTree;

/**
 * One CEL expression as written in a runbook, with the scalar it came from so that an offset
 * inside the expression maps back to a line and column. An expression field given a non-string
 * YAML value (a list for {@code forEach}, {@code true} for {@code when}) is a literal instead.
 */
public final class Expr {
    private final String source;
    private final YScalar scalar;
    private final int offset;
    private final YNode literal;
    private volatile Compilation compiled;

    private Expr(String source, YScalar scalar, int offset, YNode literal) {
        this.source = source;
        this.scalar = scalar;
        this.offset = offset;
        this.literal = literal;
    }

    /** An expression whose text starts at {@code offset} inside {@code scalar}'s text. */
    public static Expr cel(String source, YScalar scalar, int offset) {
        return new Expr(source, scalar, offset, null);
    }

    /** A constant: a YAML value (possibly holding templates) used where an expression may stand. */
    public static Expr literal(YNode node) {
        return new Expr(null, null, 0, node);
    }

    public boolean isLiteral() {
        return literal != null;
    }

    public YNode literal() {
        return literal;
    }

    /** The CEL text, or for a literal its YAML value as text. */
    public String source() {
        return literal != null ? String.valueOf(literal.toPlain()) : source;
    }

    public Pos pos() {
        return literal != null ? literal.pos() : scalar.posAt(offset);
    }

    public Pos posAt(int exprOffset) {
        return literal != null ? literal.pos() : scalar.posAt(offset + Math.max(0, exprOffset));
    }

    /** The checked AST, once compiled (null until then, or when it does not compile). */
    public CelAbstractSyntaxTree ast() {
        Compilation c = compiled;
        return c == null ? null : c.ast();
    }

    /**
     * What compiling this expression gave, set by {@link CompiledExpressions#compile} or
     * {@link Cel#compile}; null until then. Shared by the expressions of the same text.
     */
    public Compilation compiled() {
        return compiled;
    }

    void setCompiled(Compilation c) {
        this.compiled = c;
    }

    @Override
    public String toString() {
        return source();
    }
}
