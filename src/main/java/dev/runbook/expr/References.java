package dev.runbook.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names an expression reads: each use of a root ({@code params}, {@code steps}, ...) with
 * the constant field path that follows it, e.g. {@code steps['backup-files'].outputs.files} is
 * root {@code steps}, path [backup-files, outputs, files]. Comprehension variables are not
 * roots and are skipped.
 */
public final class References {

    /** One read. {@code offset} is where the root name starts in the expression text. */
    public record Ref(String root, List<String> path, int offset) {
        public String at(int i) {
            return i < path.size() ? path.get(i) : null;
        }
    }

    private final Map<Long, Integer> positions;
    private final List<Ref> refs = new ArrayList<>();

    private References(CelAbstractSyntaxTree ast) {
        this.positions = ast.getSource().getPositionsMap();
    }

    /** The reads of a compiled expression (none when it did not compile), made once per text. */
    public static List<Ref> of(Expr expr) {
        Compilation c = expr.compiled();
        return c == null || c.ast() == null ? List.of() : c.refs();
    }

    static List<Ref> walk(CelAbstractSyntaxTree ast) {
        References r = new References(ast);
        r.walk(ast.getExpr(), new HashSet<>());
        return java.util.Collections.unmodifiableList(r.refs);
    }

    private int offset(CelExpr e) {
        Integer p = positions.get(e.id());
        return p == null ? 0 : p;
    }

    private void walk(CelExpr e, Set<String> locals) {
        switch (e.getKind()) {
            case IDENT, SELECT, CALL -> {
                List<String> path = new ArrayList<>();
                CelExpr root = chain(e, path);
                if (root != null) {
                    String name = root.ident().name();
                    if (!locals.contains(name) && Cel.ROOTS.contains(name)) {
                        refs.add(new Ref(name, java.util.Collections.unmodifiableList(path), offset(root)));
                    }
                    // Walk index arguments that are not constants (steps[x] etc.).
                    walkChainArgs(e, locals);
                    return;
                }
                if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
                    walk(e.select().operand(), locals);
                } else if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
                    e.call().target().ifPresent(t -> walk(t, locals));
                    for (CelExpr a : e.call().args()) {
                        walk(a, locals);
                    }
                }
            }
            case LIST -> {
                for (CelExpr x : e.list().elements()) {
                    walk(x, locals);
                }
            }
            case MAP -> {
                for (CelExpr.CelMap.Entry x : e.map().entries()) {
                    walk(x.key(), locals);
                    walk(x.value(), locals);
                }
            }
            case STRUCT -> {
                for (CelExpr.CelStruct.Entry x : e.struct().entries()) {
                    walk(x.value(), locals);
                }
            }
            case COMPREHENSION -> {
                CelExpr.CelComprehension c = e.comprehension();
                walk(c.iterRange(), locals);
                walk(c.accuInit(), locals);
                Set<String> inner = new HashSet<>(locals);
                inner.add(c.iterVar());
                if (c.iterVar2() != null && !c.iterVar2().isEmpty()) {
                    inner.add(c.iterVar2());
                }
                inner.add(c.accuVar());
                walk(c.loopCondition(), inner);
                walk(c.loopStep(), inner);
                Set<String> res = new HashSet<>(locals);
                res.add(c.accuVar());
                walk(c.result(), res);
            }
            default -> {
            }
        }
    }

    /**
     * Follows {@code a.b['c']} down to its identifier, filling {@code path} with the constant
     * field names in reading order. Returns null when the chain does not start at an identifier.
     */
    private static CelExpr chain(CelExpr e, List<String> path) {
        switch (e.getKind()) {
            case IDENT -> {
                return e;
            }
            case SELECT -> {
                CelExpr root = chain(e.select().operand(), path);
                if (root != null) {
                    path.add(e.select().field());
                }
                return root;
            }
            case CALL -> {
                var call = e.call();
                if (call.function().equals("_[_]") && call.args().size() == 2) {
                    CelExpr root = chain(call.args().get(0), path);
                    if (root != null) {
                        CelExpr key = call.args().get(1);
                        if (key.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                                && key.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                            path.add(key.constant().stringValue());
                        } else {
                            // A computed key: the path stops being known here.
                            path.add(null);
                        }
                    }
                    return root;
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private void walkChainArgs(CelExpr e, Set<String> locals) {
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            walkChainArgs(e.select().operand(), locals);
        } else if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_[_]")) {
            walkChainArgs(e.call().args().get(0), locals);
            CelExpr key = e.call().args().get(1);
            if (key.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                walk(key, locals);
            }
        }
    }
}
