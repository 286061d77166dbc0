package dev.runbook.lang.model;

import dev.runbook.expr.Expr;
import dev.runbook.lang.Pos;
import dev.runbook.lang.yaml.YMap;
import java.time.Duration;
import java.util.List;

/**
 * One step. Optional fields are null when absent; {@code defaults} are not folded in here (the
 * engine does that) so that the plan can show what the author wrote.
 *
 * @param group  id of the enclosing group step, or null at top level
 * @param source the step's YAML, used to hash its definition for resume
 */
public record Step(
        String id,
        Pos pos,
        String group,
        String title,
        String doc,
        List<String> needs,
        Expr when,
        Expr forEach,
        int parallel,
        List<Capture> capture,
        Expr until,
        Setting<Integer> retries,
        Setting<Duration> interval,
        Setting<Duration> timeout,
        Expr unless,
        Boolean mutates,
        boolean idempotent,
        boolean sensitive,
        OnFailure onFailure,
        Action action,
        YMap source) {

    /** The words people read for this step: its title, else its id. */
    public String label() {
        return title != null ? title : id;
    }
}
