package dev.runbook.expr;

import dev.runbook.lang.yaml.YScalar;
import java.util.Map;
import java.util.Set;

/**
 * Renders a {@code script:} for bash. Each {@code ${{ }}} value becomes exactly one
 * single-quoted shell word, so quotes, {@code $()}, backticks, globs and newlines in a value
 * are data, never syntax.
 */
public final class ShellScript {
    private ShellScript() {
    }

    /** One single-quoted bash word that reads back as exactly {@code s}. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Renders with the runbook's compiled templates ({@code compiled}). */
    public static String render(YScalar script, Map<String, ?> scope, CompiledExpressions compiled) throws EvalException {
        return render(script, scope, false, Set.of(), compiled);
    }

    /** A script outside any checked runbook: parsed and compiled now. */
    public static String render(YScalar script, Map<String, ?> scope) throws EvalException {
        return render(script, scope, new CompiledExpressions());
    }

    /** For plans: values known only at run time stay as {@code ${{ ... }}}. */
    public static String preview(YScalar script, Map<String, ?> scope, CompiledExpressions compiled) {
        return preview(script, scope, Set.of(), compiled);
    }

    /** A script outside any checked runbook: parsed and compiled now. */
    public static String preview(YScalar script, Map<String, ?> scope) {
        return preview(script, scope, new CompiledExpressions());
    }

    /** A preview in which a value that reads one of {@code secrets} shows as {@code ***}. */
    public static String preview(YScalar script, Map<String, ?> scope, Set<String> secrets, CompiledExpressions compiled) {
        try {
            return render(script, scope, true, secrets, compiled);
        } catch (EvalException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String render(YScalar script, Map<String, ?> scope, boolean preview, Set<String> secrets,
                                 CompiledExpressions compiled) throws EvalException {
        if (!Template.mayHoldTemplate(script.text())) {
            return script.text();
        }
        Template t = compiled.template(script);
        StringBuilder sb = new StringBuilder();
        for (Object p : t.parts()) {
            if (p instanceof String lit) {
                sb.append(lit);
            } else {
                Expr e = (Expr) p;
                if (!preview) {
                    sb.append(quote(Renderer.format(Renderer.evaluate(e, scope, compiled))));
                    continue;
                }
                // A placeholder (the mask, ${{ ... }}) is shown as it is, not as a quoted word.
                Renderer.Preview v = Renderer.previewHole(e, scope, secrets, compiled);
                sb.append(v.placeholder() ? (String) v.value() : quote(Renderer.format(v.value())));
            }
        }
        return sb.toString();
    }
}
