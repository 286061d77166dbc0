package dev.runbook.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;

/**
 * What a run would do, step by step, with every value rendered that can be known before
 * running. Printed as text, JSON or markdown; nothing in it was executed or contacted.
 */
public record Plan(String file, String name, String title, String description, Map<String, Object> params,
                   List<PlanStep> steps, List<PlanStep> onFailure) {

    /**
     * One step. {@code action} holds the rendered action (argv, resource, manifest...);
     * {@code conditions} the when/forEach/until/unless/retries lines; {@code reads} the steps
     * whose outputs it uses; {@code summary} the action as the text plan writes it (its action
     * type's rendering of {@code action}; not part of the JSON plan, which has the fields).
     */
    public record PlanStep(int number, String id, int depth, String title, String doc, String effect, String kind,
                           Map<String, Object> action, List<String> conditions, List<String> needs,
                           List<String> reads, List<String> captures,
                           @JsonIgnore String summary) {
    }
}
