package dev.runbook.actions.group;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionChecks;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.plan.PlanFields;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code group}: a titled list of nested steps (a list, or a map with {@code steps}). It has no
 * action of its own: the engine runs its members.
 */
public final class GroupType implements ActionType<Action.Group> {
    @Override
    public String keyword() {
        return "group";
    }

    @Override
    public Class<Action.Group> type() {
        return Action.Group.class;
    }

    @Override
    public Action.Group read(ActionReader r) {
        YNode v = r.value();
        if (v instanceof YSeq) {
            return new Action.Group(r.steps(v));
        }
        if (v instanceof YMap gm) {
            return new Action.Group(r.steps(new Section("group", gm).get("steps")));
        }
        return new Action.Group(List.of());
    }

    @Override
    public List<YNode> templated(Action.Group g) {
        return List.of();
    }

    @Override
    public void check(Action.Group g, ActionChecks checks) {
        if (g.steps().isEmpty() && !(checks.step().source().get("group") instanceof YMap)) {
            checks.error(checks.step().source().keyPos("group"), "group '" + checks.step().id() + "' has no steps");
        }
    }

    @Override
    public Effect effect(Action.Group g, Function<YNode, Object> value) {
        return Effect.GROUP;
    }

    @Override
    public void plan(Action.Group g, PlanFields out) {
    }

    @Override
    public String summary(Map<String, Object> fields) {
        return "";
    }

    @Override
    public ActionHandler newHandler() {
        throw new IllegalStateException("a group has no action of its own: the engine runs its steps");
    }
}
