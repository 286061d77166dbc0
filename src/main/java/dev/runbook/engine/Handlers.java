package dev.runbook.engine;

import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.ActionSyntax;
import dev.runbook.lang.model.Step;
import java.util.HashMap;
import java.util.Map;

/**
 * The handlers of one run, one per action type, each made the first time a step of its type
 * runs: the JVM loads a class only when it is first used, so a run without kubectl steps never
 * loads the Kubernetes client, and one without ssh steps never loads JSch.
 */
final class Handlers {
    private final ActionCatalog actions;
    private final Map<ActionSyntax<?>, ActionHandler> made = new HashMap<>();

    /** @param actions the registry; every descriptor in it is a {@link HandlerFactory} */
    Handlers(ActionCatalog actions) {
        this.actions = actions;
    }

    synchronized ActionHandler of(Step step) {
        return made.computeIfAbsent(actions.of(step.action()), t -> ((HandlerFactory) t).newHandler());
    }
}
