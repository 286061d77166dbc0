package dev.runbook.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelReference;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What compiling one expression text gave: its checked tree, or the issues that kept it from
 * compiling. What evaluation and the checks derive from the tree (the runtime program, the root
 * names it reads, its {@link References}) is made the first time it is asked for and kept here,
 * so it lives as long as the checked runbook that holds it and no longer.
 */
public final class Compilation {
    /** The root names of an expression that is not checked: it may read anything. */
    static final String ALL = "*";

    private final CelAbstractSyntaxTree ast;
    private final List<Cel.Issue> issues;
    // Made on first use; two threads racing make equal values, so plain volatile suffices.
    private volatile CelRuntime.Program program;
    private volatile Set<String> reads;
    private volatile List<References.Ref> refs;

    Compilation(CelAbstractSyntaxTree ast, List<Cel.Issue> issues) {
        this.ast = ast;
        this.issues = List.copyOf(issues);
    }

    static Compilation of(CelAbstractSyntaxTree ast) {
        return new Compilation(ast, List.of());
    }

    /** The checked tree; null when the text has issues. */
    public CelAbstractSyntaxTree ast() {
        return ast;
    }

    /** Why the text does not compile; empty when it does. */
    public List<Cel.Issue> issues() {
        return issues;
    }

    CelRuntime.Program program() throws CelEvaluationException {
        CelRuntime.Program p = program;
        if (p == null) {
            p = Cel.newProgram(ast);
            program = p;
        }
        return p;
    }

    /**
     * Every root name the checker resolved in the tree: evaluation converts only those scope
     * entries (converting the whole scope, the process environment included, for every
     * evaluation dominated plan time).
     */
    Set<String> reads() {
        Set<String> r = reads;
        if (r == null) {
            if (!ast.isChecked()) {
                r = Set.of(ALL);
            } else {
                Set<String> names = new HashSet<>();
                for (CelReference ref : ast.getReferenceMap().values()) {
                    if (!ref.name().isEmpty()) {
                        names.add(ref.name());
                    }
                }
                r = Set.copyOf(names);
            }
            reads = r;
        }
        return r;
    }

    List<References.Ref> refs() {
        List<References.Ref> r = refs;
        if (r == null) {
            r = References.walk(ast);
            refs = r;
        }
        return r;
    }
}
