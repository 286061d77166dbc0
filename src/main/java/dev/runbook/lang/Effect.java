package dev.runbook.lang;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Whether a step reads or changes the world (SPEC section 4), the basis of dry-run: reads run
 * for real in a rehearsal, mutating steps are only recorded as what would have run.
 */
public enum Effect {
    READ("[read]"), MUTATES("[MUTATES]"), PROMPT("[prompt]"), GROUP("[group]");

    private final String tag;

    Effect(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /**
     * The effect of a step: its action type's own classification, overridden by
     * {@code mutates:}. {@code value} renders the action's fields, null for a value not known
     * (see {@link ActionSyntax#effect}).
     */
    public static Effect of(Step step, ActionCatalog actions, Function<YNode, Object> value) {
        Action action = step.action();
        Effect own = action == null ? MUTATES : actions.of(action).effectOf(action, value);
        if (step.mutates() != null && own != PROMPT && own != GROUP) {
            return step.mutates() ? MUTATES : READ;
        }
        return own;
    }

    /**
     * The effect of a step from its definition alone, before anything is rendered: a value that
     * is an expression counts as unknown. The graph tags steps with it; resume uses it to tell
     * the reads, which run again, from the steps that must not.
     */
    public static Effect ofDefinition(Step step, ActionCatalog actions) {
        return of(step, actions, Effect::literal);
    }

    /** A field's value as written when it holds no expression; lists element by element. */
    private static Object literal(YNode n) {
        if (n instanceof YScalar sc) {
            return sc.value() == null || String.valueOf(sc.value()).contains("${{") ? null : sc.value();
        }
        if (n instanceof YSeq seq) {
            List<Object> out = new ArrayList<>();
            for (YNode item : seq.items()) {
                out.add(literal(item));
            }
            return out;
        }
        return null;
    }

    /**
     * A previewed value with what is not known yet (text still holding {@code ${{ }}}) as null,
     * element by element: what {@link #of} wants of a plan's or a rehearsal's values.
     */
    public static Object knownOnly(Object v) {
        if (v instanceof String s) {
            return s.contains("${{") ? null : s;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(knownOnly(o));
            }
            return out;
        }
        if (v instanceof java.util.Map<?, ?> m) {
            java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, knownOnly(x)));
            return out;
        }
        return v;
    }
}
