package dev.runbook.actions.prompt;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code prompt}: a question for the operator; neither a read nor a write, a prompt. */
public final class PromptType implements ActionType<Action.Prompt> {
    @Override
    public String keyword() {
        return "prompt";
    }

    @Override
    public Class<Action.Prompt> type() {
        return Action.Prompt.class;
    }

    @Override
    public Action.Prompt read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        String type = m.string("type") != null ? m.string("type") : "confirm";
        if (type.equals("choice") && !m.has("choices") && !m.hasUnknownKeys()) {
            r.error(m.get("type").pos(), "a choice prompt needs 'choices': the list the operator picks from");
        }
        if (m.has("choices") && !type.equals("choice")) {
            r.error(m.keyPos("choices"), "'choices' applies to type: choice only");
        }
        if (m.has("onDecline") && !type.equals("confirm")) {
            r.error(m.keyPos("onDecline"), "'onDecline' applies to type: confirm only");
        }
        if (type.equals("secret") && m.has("default")) {
            r.error(m.keyPos("default"), "a secret prompt cannot have a default");
        }
        String onDecline = m.string("onDecline");
        return new Action.Prompt(m.get("message"), type, m.get("choices"), m.get("default"),
                onDecline == null ? "abort" : onDecline);
    }

    @Override
    public List<YNode> templated(Action.Prompt p) {
        return ActionType.fields(p.message(), p.choices(), p.defaultValue());
    }

    @Override
    public Set<String> resultFields(Action.Prompt p) {
        return Set.of("value");
    }

    @Override
    public Effect effect(Action.Prompt p, Function<YNode, Object> value) {
        return Effect.PROMPT;
    }

    @Override
    public void plan(Action.Prompt p, PlanFields out) {
        out.putValue("type", p.type());
        out.put("message", p.message());
        out.put("choices", p.choices());
        out.put("default", p.defaultValue());
        if (p.type().equals("confirm")) {
            out.putValue("onDecline", p.onDecline());
        }
    }

    @Override
    public String summary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        sb.append("ask (").append(a.get("type")).append("): ").append(PlanText.format(a.get("message")));
        if (a.containsKey("choices")) {
            sb.append("\nchoices: ").append(PlanText.format(a.get("choices")));
        }
        if (a.containsKey("default")) {
            sb.append("\ndefault: ").append(PlanText.format(a.get("default")));
        }
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new PromptHandler();
    }
}
