package dev.runbook.engine;

import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Step;

/**
 * The engine's only calls to {@link Effect}: whether a step reads, mutates or prompts. Kept in
 * one place because the classification's inputs may change (each action type's descriptor
 * decides, from the fields as rendered).
 */
final class Classification {
    private Classification() {
    }

    /** The effect of one execution of the step, from its fields as rendered for it. */
    static Effect of(Step step, ActionContext ac) {
        return Effect.of(step, ac.run().actions(), ac::valueOrNull);
    }

    /** Mutating by what the runbook says, before anything is rendered. */
    static boolean mutatesByDefinition(Step step, RunContext ctx) {
        return Effect.ofDefinition(step, ctx.actions()) == Effect.MUTATES;
    }
}
