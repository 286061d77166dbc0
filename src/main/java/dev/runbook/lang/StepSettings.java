package dev.runbook.lang;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Expr;
import dev.runbook.expr.References;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.model.Defaults;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Setting;
import dev.runbook.lang.model.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The retries, interval and timeout each step runs with: its own, else the runbook's
 * {@code defaults}, else the built-in ones (no retry, every 5s, no timeout). The one place
 * that says so, for the engine and for plans. Settings written as {@code ${{ }}} of params and
 * vars are computed once, when the params are bound: one that is not a count or a duration
 * stops the run before it starts (exit 2), naming the params it read.
 */
public final class StepSettings {
    /** How often an {@code until} looks again, and a retry waits, when nothing says. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    private final Runbook rb;
    private final Map<Setting<?>, Object> computed;

    private StepSettings(Runbook rb, Map<Setting<?>, Object> computed) {
        this.rb = rb;
        this.computed = computed;
    }

    /**
     * Computes every setting written as an expression, with {@code scope} holding params and
     * vars; throws {@link InvalidRunbookException} listing every one that is not a count or a
     * duration.
     */
    public static StepSettings bind(Runbook rb, Map<String, ?> scope) {
        Map<Setting<?>, Object> out = new IdentityHashMap<>();
        List<Diagnostic> problems = new ArrayList<>();
        Defaults d = rb.defaults();
        compute("defaults.retries", d.retries(), true, scope, out, problems, rb);
        compute("defaults.interval", d.interval(), false, scope, out, problems, rb);
        compute("defaults.timeout", d.timeout(), false, scope, out, problems, rb);
        for (Step s : rb.allSteps()) {
            compute("step '" + s.id() + "': retries", s.retries(), true, scope, out, problems, rb);
            compute("step '" + s.id() + "': interval", s.interval(), false, scope, out, problems, rb);
            compute("step '" + s.id() + "': timeout", s.timeout(), false, scope, out, problems, rb);
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(problems);
        }
        return new StepSettings(rb, out);
    }

    private static void compute(String what, Setting<?> setting, boolean count, Map<String, ?> scope,
                                Map<Setting<?>, Object> out, List<Diagnostic> problems, Runbook rb) {
        if (setting == null || setting.expr() == null) {
            return;
        }
        Expr e = setting.expr();
        Object v;
        try {
            v = Renderer.evaluate(e, scope);
        } catch (EvalException ex) {
            problems.add(problem(rb, e, what + " " + setting.source() + " cannot be computed: " + ex.getMessage()));
            return;
        }
        if (count) {
            if (v instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
                out.put(setting, l.intValue());
                return;
            }
            problems.add(problem(rb, e, what + " " + setting.source() + " gave " + Renderer.format(v)
                    + ", not a count from 0 to " + Integer.MAX_VALUE + reads(e)));
            return;
        }
        Duration parsed = v instanceof String str ? Durations.parse(str.strip()) : null;
        if (parsed == null) {
            problems.add(problem(rb, e, what + " " + setting.source() + " gave '" + Renderer.format(v)
                    + "', not a duration (500ms, 30s, 10m, 2h, 1h30m)" + reads(e)));
            return;
        }
        out.put(setting, parsed);
    }

    private static Diagnostic problem(Runbook rb, Expr e, String message) {
        return new Diagnostic(rb.file(), e.pos(), message);
    }

    /** Names the params and vars an expression reads: what the operator sets to fix it. */
    private static String reads(Expr e) {
        Set<String> names = new LinkedHashSet<>();
        for (References.Ref r : References.of(e)) {
            if ((r.root().equals("params") || r.root().equals("vars")) && r.at(0) != null) {
                names.add((r.root().equals("params") ? "param " : "var ") + r.at(0));
            }
        }
        return names.isEmpty() ? "" : " (from " + String.join(", ", names) + ")";
    }

    private <T> T value(Setting<T> s) {
        if (s == null) {
            return null;
        }
        if (s.expr() == null) {
            return s.value();
        }
        @SuppressWarnings("unchecked")
        T v = (T) computed.get(s);
        return v;
    }

    /** The step's timeout, or null when it has none. */
    public Duration timeout(Step s) {
        return s.timeout() != null ? value(s.timeout()) : value(rb.defaults().timeout());
    }

    /** The step's own timeout (not the default's), or null. */
    public Duration ownTimeout(Step s) {
        return value(s.timeout());
    }

    public Duration interval(Step s) {
        Duration d = s.interval() != null ? value(s.interval()) : value(rb.defaults().interval());
        return d != null ? d : DEFAULT_INTERVAL;
    }

    public int retries(Step s) {
        Integer r = s.retries() != null ? value(s.retries()) : value(rb.defaults().retries());
        return r != null ? r : 0;
    }
}
