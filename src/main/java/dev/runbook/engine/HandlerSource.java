package dev.runbook.engine;

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

    /** The handlers of this build ({@link Handlers}), each made when the first step of its kind runs. */
    static HandlerSource builtIn() {
        return new Handlers()::of;
    }
}
