package dev.runbook.actions.assertion;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.expr.EvalException;
import dev.runbook.expr.Expr;
import dev.runbook.expr.References;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code assert}: every expression of {@code that} must be true. On failure the message says
 * which expression failed, the author's {@code message}, and the values the expression read,
 * so that the operator sees why without digging.
 */
public final class AssertHandler implements ActionHandler {
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final int MAX_VALUE = 300;

    @Override
    public Invocation prepare(Step step, ActionContext ctx) {
        Action.Assert a = (Action.Assert) step.action();
        return new Invocation() {
            @Override
            public Object describe() {
                return Map.of("that", a.that().stream().map(Expr::source).toList());
            }

            @Override
            public Object run(ActionContext c) throws ActionException {
                for (Expr e : a.that()) {
                    Object v;
                    try {
                        v = Renderer.evaluate(e, c.scope());
                    } catch (EvalException ex) {
                        throw new ActionException("cannot compute assertion " + e.source() + ": " + ex.getMessage()
                                + read(e, c.scope()), ex);
                    }
                    if (!(v instanceof Boolean b)) {
                        throw new ActionException("assertion " + e.source() + " must be true or false, not "
                                + Renderer.format(v) + read(e, c.scope()));
                    }
                    if (!b) {
                        throw new ActionException(message(a, c) + "\n  failed: " + e.source() + read(e, c.scope()));
                    }
                }
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("holds", true);
                return r;
            }
        };
    }

    private static String message(Action.Assert a, ActionContext c) {
        if (a.message() == null) {
            return "assertion failed";
        }
        try {
            return String.valueOf(Renderer.format(c.render(a.message(), "message")));
        } catch (ActionException e) {
            return "assertion failed (" + e.getMessage() + ")";
        }
    }

    /** The values an expression read, one per line: {@code steps['x'].outputs.count = 3}. */
    static String read(Expr e, Map<String, Object> scope) {
        StringBuilder sb = new StringBuilder();
        List<String> seen = new ArrayList<>();
        for (References.Ref r : References.of(e)) {
            StringBuilder name = new StringBuilder(r.root());
            Object v = scope.get(r.root());
            boolean known = scope.containsKey(r.root());
            for (String p : r.path()) {
                if (p == null) {
                    break;
                }
                name.append(IDENT.matcher(p).matches() ? "." + p : "['" + p + "']");
                if (known && v instanceof Map<?, ?> m && m.containsKey(p)) {
                    v = m.get(p);
                } else {
                    known = false;
                }
            }
            String n = name.toString();
            if (seen.contains(n) || r.root().equals("env")) {
                continue;
            }
            seen.add(n);
            String shown = known ? Renderer.format(v) : "(not set)";
            if (known && v instanceof String) {
                shown = "'" + shown + "'";
            }
            if (shown.length() > MAX_VALUE) {
                shown = shown.substring(0, MAX_VALUE - 3) + "...";
            }
            sb.append("\n  where ").append(n).append(" = ").append(shown);
        }
        return sb.toString();
    }
}
