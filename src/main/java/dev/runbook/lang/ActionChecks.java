package dev.runbook.lang;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;

/** What the checker offers an action's own checks: the step, the runbook, targets, problems. */
public interface ActionChecks {
    Step step();

    Runbook runbook();

    /** Reports a problem at a position. */
    void error(Pos at, String message, String... hints);

    /**
     * Checks that {@code name} (an {@code on:} of the action) is a declared target of the given
     * kind; {@code words} names the kind in messages ("a kubernetes", "an ssh").
     */
    void targetRef(String name, Class<? extends Target> kind, String words);
}
