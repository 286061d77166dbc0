package dev.runbook.engine;

import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Step;

/**
 * The engine's only calls to {@link Effect}: whether a step reads, mutates or prompts. Kept in
 * one place because the classification's inputs may change (today: the rendered apicup
 * arguments).
 */
final class Classification {
    private Classification() {
    }

    /** The effect of one rendered execution of the step. */
    static Effect of(Step step, Invocation invocation) {
        return Effect.of(step, invocation.classifierArgs());
    }

    /** Mutating by what the runbook says, before anything is rendered. */
    static boolean mutatesByDefinition(Step step) {
        return Effect.ofDefinition(step) == Effect.MUTATES;
    }
}
