package dev.runbook.lang;

import dev.runbook.lang.model.Action;
import java.util.List;

/**
 * The action types a runbook may use, as the reader and the checker see them. The one
 * implementation is the registry {@code dev.runbook.actions.ActionTypes}; the loader is given
 * it, and the checked runbook carries it on to the planner and the engine.
 */
public interface ActionCatalog {
    /** Every action keyword, in the order a step's "has no action" message lists them. */
    List<String> keywords();

    /** The descriptor of a keyword, or null when no action has it. */
    ActionSyntax<?> byKeyword(String keyword);

    /** The descriptor of an action read from a runbook. */
    ActionSyntax<?> of(Action action);
}
