package dev.runbook.actions;

import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionSyntax;
import dev.runbook.lang.model.Action;
import dev.runbook.engine.HandlerFactory;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanView;
import dev.runbook.lang.yaml.YNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the program knows of one action type, in one place: how it is read, checked and
 * classified ({@link ActionSyntax}), how a plan shows it, and its handler, made only when a
 * step of this type first runs (so that a run without kubectl steps never loads the
 * Kubernetes client). Adding an action is a record in {@link Action}, a package with an
 * {@code ActionType} and its handler, and one line in {@link ActionTypes}.
 */
public interface ActionType<A extends Action> extends ActionSyntax<A>, PlanView, HandlerFactory {
    /** Fills in how a plan shows the action. */
    void plan(A action, PlanFields out);

    /**
     * The text plan's rendering of the fields {@link #plan} filled in (an argv line, a kubectl
     * verb line, a script), or "" when the fields say it all.
     */
    @Override
    String summary(Map<String, Object> fields);

    @Override
    default void planOf(Action a, PlanFields out) {
        plan(cast(a), out);
    }

    /** A new handler for one run; called when the first step of this type runs. */
    @Override
    ActionHandler newHandler();

    /** The given fields that are present, for {@link #templated}. */
    static List<YNode> fields(YNode... nodes) {
        List<YNode> out = new ArrayList<>();
        for (YNode n : nodes) {
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }
}
