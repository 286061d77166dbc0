package dev.runbook.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.runbook.lang.Problems;
import dev.runbook.lang.yaml.YScalar;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The compiled templates and expressions of one runbook: what the checker made, carried in the
 * checked runbook to the planner and the engine so that they render and evaluate without parsing
 * or compiling again. One table per runbook, dropped with it: a process that checks many
 * runbooks one after another (the test runner, a test suite) keeps nothing of the earlier ones.
 *
 * <p>Results are by expression text, because the same text is often written many times in a
 * runbook ({@code params.namespace}) and its compile depends on the text alone. Thread-safe: a
 * run's parallel parts may render at once.
 */
public final class CompiledExpressions {
    private final Map<String, Compilation> byText = new ConcurrentHashMap<>();
    /** One compiled text per shape, whose tree serves the others (see {@link CelShapes}). */
    private final Map<String, ShapeTemplate> shapes = new ConcurrentHashMap<>();
    /** Templates by scalar, so that rendering finds the expressions the checker compiled. */
    private final Map<YScalar, Template> templates = new ConcurrentHashMap<>();

    private record ShapeTemplate(String text, CelShapes.Shape shape, CelAbstractSyntaxTree ast) {
    }

    /** Remembers a template the checker parsed and checked. */
    public void remember(Template t) {
        templates.put(t.scalar(), t);
    }

    /**
     * The template of a string scalar: the checker's, or parsed now (and its expressions
     * compiled when first evaluated) for a scalar the checker did not see. Parse problems were
     * the checker's to report; here a broken hole is left as text.
     */
    public Template template(YScalar s) {
        Template t = templates.get(s);
        if (t == null) {
            t = Template.parse(s, new Problems("<template>"));
            for (Expr e : t.holes()) {
                compile(e);
            }
            templates.put(s, t);
        }
        return t;
    }

    /** Parses and type-checks {@code e} (once per text); the result is then carried by {@code e}. */
    public List<Cel.Issue> compile(Expr e) {
        if (e.compiled() == null) {
            e.setCompiled(compilation(e.source()));
        }
        return e.compiled().issues();
    }

    private Compilation compilation(String source) {
        Compilation c = byText.get(source);
        if (c == null) {
            CelShapes.Shape shape = CelShapes.of(source);
            c = derive(source, shape);
            if (c == null) {
                c = Cel.compileText(source);
                if (c.ast() != null) {
                    remember(source, shape, c.ast());
                }
            }
            byText.put(source, c);
        }
        return c;
    }

    private void remember(String text, CelShapes.Shape shape, CelAbstractSyntaxTree ast) {
        if (shape != null && shape.count() > 0) {
            shapes.putIfAbsent(shape.key(), new ShapeTemplate(text, shape, ast));
        }
    }

    private Compilation derive(String text, CelShapes.Shape shape) {
        if (shape == null || shape.count() == 0) {
            return null;
        }
        ShapeTemplate t = shapes.get(shape.key());
        if (t == null) {
            return null;
        }
        CelAbstractSyntaxTree ast = CelShapes.derive(t.ast(), t.text(), t.shape(), text, shape);
        return ast == null ? null : Compilation.of(ast);
    }

    /**
     * Compiles many expressions ahead of {@link #compile}, which then finds them done. The
     * results are exactly those of compiling each alone, only cheaper: texts that differ only
     * in literal values share one compile ({@link CelShapes}) and the rest are type-checked
     * together ({@link CelBatch}). Texts with problems are left for {@link #compile} to report.
     */
    public void precompile(Collection<String> sources) {
        // One text of each shape is compiled first; the others are then copied from it.
        List<String> first = new ArrayList<>();
        List<String> later = new ArrayList<>();
        Map<String, CelShapes.Shape> shapesOf = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (String s : sources) {
            if (byText.containsKey(s)) {
                continue;
            }
            CelShapes.Shape shape = CelShapes.of(s);
            if (shape == null || shape.count() == 0) {
                first.add(s);
                continue;
            }
            shapesOf.put(s, shape);
            Compilation derived = derive(s, shape);
            if (derived != null) {
                byText.putIfAbsent(s, derived);
            } else if (keys.add(shape.key())) {
                first.add(s);
            } else {
                later.add(s);
            }
        }
        compileTogether(first, shapesOf);
        List<String> left = new ArrayList<>();
        for (String s : later) {
            Compilation derived = derive(s, shapesOf.get(s));
            if (derived != null) {
                byText.putIfAbsent(s, derived);
            } else {
                left.add(s);
            }
        }
        compileTogether(left, shapesOf);
    }

    private void compileTogether(Collection<String> todo, Map<String, CelShapes.Shape> shapesOf) {
        if (todo.isEmpty()) {
            return;
        }
        List<String> texts = new ArrayList<>(todo.size());
        List<CelBatch.Item> items = new ArrayList<>(todo.size());
        for (String s : todo) {
            CelValidationResult parsed = Cel.compiler().parse(s, "expression");
            if (!parsed.hasError()) {
                try {
                    items.add(new CelBatch.Item(parsed.getAst()));
                    texts.add(s);
                } catch (CelValidationException e) {
                    // left for compile() to report
                }
            }
        }
        Cel.batch().check(items);
        for (int i = 0; i < items.size(); i++) {
            CelAbstractSyntaxTree ast = items.get(i).checked;
            if (ast != null) {
                remember(texts.get(i), shapesOf.get(texts.get(i)), ast);
                byText.putIfAbsent(texts.get(i), Compilation.of(ast));
            }
        }
    }
}
