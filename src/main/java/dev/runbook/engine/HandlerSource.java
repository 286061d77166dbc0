package dev.runbook.engine;

import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.model.Step;

/**
 * Where the engine gets the handler of a step's action. The engine is given one rather than
 * choosing handlers itself, so that a test can run it with a handler of its own (no processes,
 * no network) and watch what the engine does with the results.
 */
@FunctionalInterface
public interface HandlerSource {
    /** The handler of this step's action; a RuntimeException means the step cannot run here. */
    ActionHandler of(Step step);

    /** The handlers of the registry's action types ({@link Handlers}), each made when the first step of its type runs. */
    static HandlerSource builtIn(ActionCatalog actions) {
        return new Handlers(actions)::of;
    }
}
