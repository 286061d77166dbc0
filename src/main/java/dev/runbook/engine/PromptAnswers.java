package dev.runbook.engine;

import java.util.Locale;

/** How typed or given answers to a confirm read. */
public final class PromptAnswers {
    private PromptAnswers() {
    }

    /**
     * The choices of a choice prompt when they are written out in the runbook (no {@code ${{ }}}),
     * so that a given answer can be checked before the run starts; null when they are known
     * only at run time.
     */
    public static java.util.List<String> literalChoices(dev.runbook.lang.model.Action.Prompt p) {
        if (!"choice".equals(p.type()) || !(p.choices() instanceof dev.runbook.lang.yaml.YSeq seq)) {
            return null;
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (dev.runbook.lang.yaml.YNode n : seq.items()) {
            if (!(n instanceof dev.runbook.lang.yaml.YScalar s) || s.value() == null || s.text().contains("${{")) {
                return null;
            }
            out.add(dev.runbook.expr.Renderer.format(s.value()));
        }
        return out;
    }

    /** True for yes, false for no, null for anything else. */
    public static Boolean yesNo(String s) {
        if (s == null) {
            return null;
        }
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes", "true" -> Boolean.TRUE;
            case "n", "no", "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
