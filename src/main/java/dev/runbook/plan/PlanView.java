package dev.runbook.plan;

import dev.runbook.lang.model.Action;
import java.util.Map;

/** How a plan shows one action type: implemented by each action type's descriptor. */
public interface PlanView {
    /** Fills in the plan's fields for the action (of this view's type). */
    void planOf(Action action, PlanFields out);

    /** The text plan's rendering of those fields, or "". */
    String summary(Map<String, Object> fields);
}
