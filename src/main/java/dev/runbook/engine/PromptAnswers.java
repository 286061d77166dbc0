package dev.runbook.engine;

import java.util.Locale;

/** How typed or given answers to a confirm read. */
public final class PromptAnswers {
    private PromptAnswers() {
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
