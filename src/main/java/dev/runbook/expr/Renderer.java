package dev.runbook.expr;

import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.runbook.secrets.Redactor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renders template-bearing YAML values into plain values. A string that is exactly one
 * {@code ${{ }}} keeps the value's type; any other string gets each value formatted into it.
 * Each method takes the runbook's {@link CompiledExpressions}, where the checker left its
 * parsed templates and compiled expressions; the forms without it (for values outside a
 * checked runbook) parse and compile as they go and keep nothing.
 */
public final class Renderer {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Renderer() {
    }

    /**
     * Renders for execution: every expression must evaluate. Templates come from
     * {@code compiled}, the runbook's compiled expressions.
     */
    public static Object render(YNode n, Map<String, ?> scope, CompiledExpressions compiled) throws EvalException {
        return render(n, scope, false, Set.of(), compiled);
    }

    /** {@link #render(YNode, Map, CompiledExpressions)} of a value outside any checked runbook: parsed and compiled now. */
    public static Object render(YNode n, Map<String, ?> scope) throws EvalException {
        return render(n, scope, new CompiledExpressions());
    }

    /**
     * Renders for a plan: an expression that reads a name missing from {@code scope} (a step
     * output, {@code result}, {@code item}) or cannot be evaluated yet is kept as written,
     * {@code ${{ ... }}}, to show it is known only at run time.
     */
    public static Object preview(YNode n, Map<String, ?> scope, CompiledExpressions compiled) {
        return preview(n, scope, Set.of(), compiled);
    }

    /** {@link #preview(YNode, Map, CompiledExpressions)} of a value outside any checked runbook. */
    public static Object preview(YNode n, Map<String, ?> scope) {
        return preview(n, scope, new CompiledExpressions());
    }

    /**
     * A preview in which every expression that reads one of {@code secrets} ("params.password",
     * "vars.auth") shows as {@code ***}: a secret must not reach a plan even transformed
     * ({@code params.password.substring(1)} would get past a redactor that only knows the value).
     */
    public static Object preview(YNode n, Map<String, ?> scope, Set<String> secrets, CompiledExpressions compiled) {
        try {
            return render(n, scope, true, secrets, compiled);
        } catch (EvalException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #preview(YNode, Map, Set, CompiledExpressions)} of a value outside any checked runbook. */
    public static Object preview(YNode n, Map<String, ?> scope, Set<String> secrets) {
        return preview(n, scope, secrets, new CompiledExpressions());
    }

    /** True when {@code e} reads one of {@code paths} ("root.name"), or a root holding one of them as a whole. */
    public static boolean readsAny(Expr e, Set<String> paths, CompiledExpressions compiled) {
        if (paths.isEmpty()) {
            return false;
        }
        if (e.isLiteral()) {
            return readsAny(e.literal(), paths, compiled);
        }
        if (!compiled.compile(e).isEmpty()) {
            return false;
        }
        for (References.Ref r : References.of(e)) {
            String first = r.at(0);
            if (first != null ? paths.contains(r.root() + "." + first)
                    : paths.stream().anyMatch(p -> p.startsWith(r.root() + "."))) {
                return true;
            }
        }
        return false;
    }

    /** True when an expression anywhere under {@code n} {@link #readsAny(Expr, Set, CompiledExpressions) reads} one of {@code paths}. */
    public static boolean readsAny(YNode n, Set<String> paths, CompiledExpressions compiled) {
        if (n instanceof YMap m) {
            return m.entries().stream().anyMatch(e -> readsAny(e.value(), paths, compiled));
        } else if (n instanceof YSeq q) {
            return q.items().stream().anyMatch(i -> readsAny(i, paths, compiled));
        } else if (n instanceof YScalar s && s.value() instanceof String text && Template.mayHoldTemplate(text)) {
            return compiled.template(s).holes().stream().anyMatch(e -> readsAny(e, paths, compiled));
        }
        return false;
    }

    private static Object render(YNode n, Map<String, ?> scope, boolean preview, Set<String> secrets,
                                 CompiledExpressions compiled) throws EvalException {
        if (n == null) {
            return null;
        }
        if (n instanceof YMap m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (YMap.Entry e : m.entries()) {
                out.put(e.name(), render(e.value(), scope, preview, secrets, compiled));
            }
            return out;
        }
        if (n instanceof YSeq s) {
            List<Object> out = new ArrayList<>(s.items().size());
            for (YNode i : s.items()) {
                out.add(render(i, scope, preview, secrets, compiled));
            }
            return out;
        }
        YScalar s = (YScalar) n;
        if (!(s.value() instanceof String text) || !Template.mayHoldTemplate(text)) {
            return s.value();
        }
        Template t = compiled.template(s);
        if (t.isSingleHole()) {
            Expr e = t.holes().get(0);
            return preview ? previewOne(e, scope, secrets, compiled) : evaluate(e, scope, compiled);
        }
        StringBuilder sb = new StringBuilder();
        for (Object p : t.parts()) {
            if (p instanceof String lit) {
                sb.append(lit);
            } else {
                Expr e = (Expr) p;
                sb.append(preview ? format(previewOne(e, scope, secrets, compiled)) : format(evaluate(e, scope, compiled)));
            }
        }
        return sb.toString();
    }

    /** Evaluates an expression; one given as a YAML value (a literal) is rendered with {@code compiled}'s templates. */
    public static Object evaluate(Expr e, Map<String, ?> scope, CompiledExpressions compiled) throws EvalException {
        if (e.isLiteral()) {
            return render(e.literal(), scope, compiled);
        }
        compiled.compile(e);
        return Cel.eval(e, scope);
    }

    /** {@link #evaluate(Expr, Map, CompiledExpressions)} of an expression outside any checked runbook. */
    public static Object evaluate(Expr e, Map<String, ?> scope) throws EvalException {
        return e.isLiteral() ? evaluate(e, scope, new CompiledExpressions()) : Cel.eval(e, scope);
    }

    /** Placeholder text for a value known only at run time. */
    public static String unknown(Expr e) {
        return "${{ " + e.source() + " }}";
    }

    private static Object previewOne(Expr e, Map<String, ?> scope, Set<String> secrets, CompiledExpressions compiled) {
        return previewHole(e, scope, secrets, compiled).value();
    }

    /**
     * What a plan shows for one {@code ${{ }}}: its value, or, as a {@code placeholder}, the
     * mask for a value that reads a secret or {@code ${{ ... }}} for one known only at run time.
     */
    record Preview(Object value, boolean placeholder) {
    }

    static Preview previewHole(Expr e, Map<String, ?> scope, Set<String> secrets, CompiledExpressions compiled) {
        if (readsAny(e, secrets, compiled)) {
            return new Preview(Redactor.MASK, true);
        }
        if (!knowable(e, scope, compiled)) {
            return new Preview(unknown(e), true);
        }
        try {
            return new Preview(evaluate(e, scope, compiled), false);
        } catch (EvalException ex) {
            return new Preview(unknown(e), true);
        }
    }

    /**
     * True when the expression reads only what {@code scope} holds: every root it reads is
     * present, and where a root is a map (params, vars, run) the first name read from it too.
     * A plan leaves out what is not known before running (a var computed from a step output,
     * the run id), so such an expression is shown as {@code ${{ ... }}} instead of failing.
     */
    public static boolean knowable(Expr e, Map<String, ?> scope, CompiledExpressions compiled) {
        if (!knowable(e, scope.keySet(), compiled)) {
            return false;
        }
        if (e.isLiteral()) {
            return knowable(e.literal(), scope, compiled);
        }
        for (References.Ref r : References.of(e)) {
            String first = r.at(0);
            if (first != null && scope.get(r.root()) instanceof Map<?, ?> m && !m.containsKey(first)) {
                return false;
            }
        }
        return true;
    }

    /** True when every expression in every string under {@code n} is {@link #knowable(Expr, Map, CompiledExpressions)}. */
    public static boolean knowable(YNode n, Map<String, ?> scope, CompiledExpressions compiled) {
        if (n instanceof YMap m) {
            for (YMap.Entry e : m.entries()) {
                if (!knowable(e.value(), scope, compiled)) {
                    return false;
                }
            }
        } else if (n instanceof YSeq q) {
            for (YNode i : q.items()) {
                if (!knowable(i, scope, compiled)) {
                    return false;
                }
            }
        } else if (n instanceof YScalar s && s.value() instanceof String text && Template.mayHoldTemplate(text)) {
            for (Expr e : compiled.template(s).holes()) {
                if (!knowable(e, scope, compiled)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when every root the expression reads is present in the scope. */
    public static boolean knowable(Expr e, Set<String> known, CompiledExpressions compiled) {
        if (e.isLiteral()) {
            return true;
        }
        if (!compiled.compile(e).isEmpty()) {
            return false;
        }
        for (References.Ref r : References.of(e)) {
            if (!known.contains(r.root())) {
                return false;
            }
        }
        return true;
    }

    /** {@link #readsAny(Expr, Set, CompiledExpressions)} of an expression outside any checked runbook. */
    public static boolean readsAny(Expr e, Set<String> paths) {
        return readsAny(e, paths, new CompiledExpressions());
    }

    /** {@link #readsAny(YNode, Set, CompiledExpressions)} of a value outside any checked runbook. */
    public static boolean readsAny(YNode n, Set<String> paths) {
        return readsAny(n, paths, new CompiledExpressions());
    }

    /** {@link #knowable(Expr, Map, CompiledExpressions)} of an expression outside any checked runbook. */
    public static boolean knowable(Expr e, Map<String, ?> scope) {
        return knowable(e, scope, new CompiledExpressions());
    }

    /** {@link #knowable(YNode, Map, CompiledExpressions)} of a value outside any checked runbook. */
    public static boolean knowable(YNode n, Map<String, ?> scope) {
        return knowable(n, scope, new CompiledExpressions());
    }

    /** {@link #knowable(Expr, Set, CompiledExpressions)} of an expression outside any checked runbook. */
    public static boolean knowable(Expr e, Set<String> known) {
        return knowable(e, known, new CompiledExpressions());
    }

    /** How a value reads inside a larger string: text as is, numbers plainly, lists and maps as JSON. */
    public static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        if (v instanceof Map || v instanceof List) {
            return JSON.writeValueAsString(v);
        }
        if (v instanceof java.time.Duration d) {
            return dev.runbook.lang.Durations.format(d); // 1h30m, as runbooks write durations
        }
        return String.valueOf(v);
    }
}
