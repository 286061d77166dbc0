package dev.runbook.expr;

import dev.runbook.lang.yaml.YScalar;
import java.util.Map;

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

    public static String render(YScalar script, Map<String, ?> scope) throws EvalException {
        return render(script, scope, false);
    }

    /** For plans: values known only at run time stay as {@code ${{ ... }}}. */
    public static String preview(YScalar script, Map<String, ?> scope) {
        try {
            return render(script, scope, true);
        } catch (EvalException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String render(YScalar script, Map<String, ?> scope, boolean preview) throws EvalException {
        if (!Template.mayHoldTemplate(script.text())) {
            return script.text();
        }
        Template t = Templates.of(script);
        StringBuilder sb = new StringBuilder();
        for (Object p : t.parts()) {
            if (p instanceof String lit) {
                sb.append(lit);
            } else {
                Expr e = (Expr) p;
                if (preview && !Renderer.knowable(e, scope)) {
                    sb.append(Renderer.unknown(e));
                    continue;
                }
                try {
                    sb.append(quote(Renderer.format(Renderer.evaluate(e, scope))));
                } catch (EvalException ex) {
                    if (!preview) {
                        throw ex;
                    }
                    sb.append(Renderer.unknown(e));
                }
            }
        }
        return sb.toString();
    }
}
