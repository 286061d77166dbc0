package dev.runbook.expr;

import com.google.common.collect.ImmutableList;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelSource;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Type-checks many parsed expressions in one pass of the CEL checker.
 *
 * <p>Why: CEL-Java builds its whole checker environment (every standard function overload,
 * with overlap checks) again for each {@code check} call, which costs far more than checking
 * a typical runbook expression. Here up to {@link #CHUNK} expressions are joined under calls of
 * a function {@code @batch(dyn, dyn)} that no expression can name, checked once, and split
 * again. A {@code dyn} parameter binds no type variable, so each expression is checked exactly
 * as on its own; the checked trees, references and types come out equal to those of separate
 * checks (a test compares them). A chunk with any problem is split until the problem is
 * isolated, and expressions with problems are left to the normal one-by-one compile, so every
 * message stays exactly CEL's own.
 */
final class CelBatch {
    /**
     * Expressions per check. The checker copies its type-variable map at every overload
     * resolution, so very large chunks get slower again; a few dozen is the sweet spot.
     */
    static final int CHUNK = 32;

    private static final String BATCH = "@batch";

    private final CelCompiler checker;

    /** A parsed expression and its checked form once known. */
    static final class Item {
        final CelAbstractSyntaxTree parsed;
        CelAbstractSyntaxTree checked;

        Item(CelAbstractSyntaxTree parsed) {
            this.parsed = parsed;
        }
    }

    CelBatch(CelCompiler compiler) {
        this.checker = compiler.toCompilerBuilder()
                .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(BATCH,
                        CelOverloadDecl.newGlobalOverload("@batch_dyn_dyn", SimpleType.DYN, SimpleType.DYN, SimpleType.DYN)))
                .build();
    }

    /** Fills {@link Item#checked} of every item that checks without problems. */
    void check(List<Item> items) {
        for (int from = 0; from < items.size(); from += CHUNK) {
            checkRange(items.subList(from, Math.min(items.size(), from + CHUNK)));
        }
    }

    private void checkRange(List<Item> items) {
        if (items.size() == 1) {
            CelValidationResult r = checker.check(items.get(0).parsed);
            if (!r.hasError()) {
                items.get(0).checked = ast(r);
            }
            return;
        }
        long[] base = new long[items.size() + 1];
        List<CelExpr> shifted = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            CelExpr e = items.get(i).parsed.getExpr();
            shifted.add(shift(e, base[i]));
            base[i + 1] = base[i] + maxId(e);
        }
        long[] nextId = {base[items.size()] + 1};
        CelExpr joined = join(shifted, 0, shifted.size(), nextId);
        CelValidationResult r = checker.check(CelAbstractSyntaxTree.newParsedAst(joined, CelSource.newBuilder().build()));
        if (r.hasError()) {
            int mid = items.size() / 2;
            checkRange(items.subList(0, mid));
            checkRange(items.subList(mid, items.size()));
            return;
        }
        CelAbstractSyntaxTree all = ast(r);
        if (!all.getSource().getExtensions().isEmpty()) {
            return; // a checker feature that marks the source: leave these to separate checks
        }
        List<CelExpr> parts = new ArrayList<>(items.size());
        split(all.getExpr(), 0, items.size(), parts);
        Map<Long, CelReference> refs = all.getReferenceMap();
        Map<Long, CelType> types = all.getTypeMap();
        for (int i = 0; i < items.size(); i++) {
            long lo = base[i];
            long hi = base[i + 1];
            Map<Long, CelReference> r1 = new HashMap<>();
            Map<Long, CelType> t1 = new HashMap<>();
            for (long id = lo + 1; id <= hi; id++) {
                CelReference ref = refs.get(id);
                if (ref != null) {
                    r1.put(id - lo, ref);
                }
                CelType type = types.get(id);
                if (type != null) {
                    t1.put(id - lo, type);
                }
            }
            Item item = items.get(i);
            item.checked = CelAbstractSyntaxTree.newCheckedAst(shift(parts.get(i), -lo), item.parsed.getSource(), r1, t1);
        }
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult r) {
        try {
            return r.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A balanced tree of {@code @batch} calls over {@code exprs[from, to)}, so depth stays small. */
    private static CelExpr join(List<CelExpr> exprs, int from, int to, long[] nextId) {
        if (to - from == 1) {
            return exprs.get(from);
        }
        int mid = (from + to) >>> 1;
        CelExpr left = join(exprs, from, mid, nextId);
        CelExpr right = join(exprs, mid, to, nextId);
        return CelExpr.ofCall(nextId[0]++, Optional.empty(), BATCH, ImmutableList.of(left, right));
    }

    private static void split(CelExpr e, int from, int to, List<CelExpr> out) {
        if (to - from == 1) {
            out.add(e);
            return;
        }
        int mid = (from + to) >>> 1;
        split(e.call().args().get(0), from, mid, out);
        split(e.call().args().get(1), mid, to, out);
    }

    /** A copy of {@code e} with every expression and entry id moved by {@code delta}. */
    static CelExpr shift(CelExpr e, long delta) {
        long id = e.id() + delta;
        switch (e.getKind()) {
            case NOT_SET -> {
                return CelExpr.ofNotSet(id);
            }
            case CONSTANT -> {
                return CelExpr.ofConstant(id, e.constant());
            }
            case IDENT -> {
                return CelExpr.ofIdent(id, e.ident().name());
            }
            case SELECT -> {
                var s = e.select();
                return CelExpr.ofSelect(id, shift(s.operand(), delta), s.field(), s.testOnly());
            }
            case CALL -> {
                var c = e.call();
                ImmutableList.Builder<CelExpr> args = ImmutableList.builderWithExpectedSize(c.args().size());
                for (CelExpr a : c.args()) {
                    args.add(shift(a, delta));
                }
                return CelExpr.ofCall(id, c.target().map(t -> shift(t, delta)), c.function(), args.build());
            }
            case LIST -> {
                var l = e.list();
                ImmutableList.Builder<CelExpr> elements = ImmutableList.builderWithExpectedSize(l.elements().size());
                for (CelExpr x : l.elements()) {
                    elements.add(shift(x, delta));
                }
                return CelExpr.ofList(id, elements.build(), l.optionalIndices());
            }
            case MAP -> {
                ImmutableList.Builder<CelExpr.CelMap.Entry> entries = ImmutableList.builder();
                for (CelExpr.CelMap.Entry x : e.map().entries()) {
                    entries.add(CelExpr.ofMapEntry(x.id() + delta, shift(x.key(), delta), shift(x.value(), delta), x.optionalEntry()));
                }
                return CelExpr.ofMap(id, entries.build());
            }
            case STRUCT -> {
                ImmutableList.Builder<CelExpr.CelStruct.Entry> entries = ImmutableList.builder();
                for (CelExpr.CelStruct.Entry x : e.struct().entries()) {
                    entries.add(CelExpr.ofStructEntry(x.id() + delta, x.fieldKey(), shift(x.value(), delta), x.optionalEntry()));
                }
                return CelExpr.ofStruct(id, e.struct().messageName(), entries.build());
            }
            case COMPREHENSION -> {
                var c = e.comprehension();
                return CelExpr.ofComprehension(id, c.iterVar(), c.iterVar2(), shift(c.iterRange(), delta), c.accuVar(),
                        shift(c.accuInit(), delta), shift(c.loopCondition(), delta), shift(c.loopStep(), delta),
                        shift(c.result(), delta));
            }
            default -> throw new IllegalStateException("unknown CEL expression kind " + e.getKind());
        }
    }

    /** The largest expression or entry id in {@code e}. */
    static long maxId(CelExpr e) {
        long max = e.id();
        switch (e.getKind()) {
            case SELECT -> max = Math.max(max, maxId(e.select().operand()));
            case CALL -> {
                if (e.call().target().isPresent()) {
                    max = Math.max(max, maxId(e.call().target().get()));
                }
                for (CelExpr a : e.call().args()) {
                    max = Math.max(max, maxId(a));
                }
            }
            case LIST -> {
                for (CelExpr x : e.list().elements()) {
                    max = Math.max(max, maxId(x));
                }
            }
            case MAP -> {
                for (CelExpr.CelMap.Entry x : e.map().entries()) {
                    max = Math.max(max, Math.max(x.id(), Math.max(maxId(x.key()), maxId(x.value()))));
                }
            }
            case STRUCT -> {
                for (CelExpr.CelStruct.Entry x : e.struct().entries()) {
                    max = Math.max(max, Math.max(x.id(), maxId(x.value())));
                }
            }
            case COMPREHENSION -> {
                var c = e.comprehension();
                for (CelExpr x : List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
                    max = Math.max(max, maxId(x));
                }
            }
            default -> {
            }
        }
        return max;
    }
}
