package dev.runbook.actions.assertion;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.expr.Expr;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code assert}: conditions that must hold; a read. */
public final class AssertType implements ActionType<Action.Assert> {
    @Override
    public String keyword() {
        return "assert";
    }

    @Override
    public Class<Action.Assert> type() {
        return Action.Assert.class;
    }

    @Override
    public Action.Assert read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        List<Expr> that = new ArrayList<>();
        YNode t = m.get("that");
        if (t instanceof YSeq seq) {
            if (seq.items().isEmpty()) {
                r.error(seq.pos(), "'that' must not be empty");
            }
            for (YNode x : seq.items()) {
                Expr ex = r.expression(x, "that");
                if (ex != null) {
                    that.add(ex);
                }
            }
        } else {
            Expr ex = r.expression(t, "that");
            if (ex != null) {
                that.add(ex);
            }
        }
        return new Action.Assert(List.copyOf(that), m.get("message"));
    }

    @Override
    public List<YNode> templated(Action.Assert a) {
        return ActionType.fields(a.message());
    }

    @Override
    public List<Expr> expressions(Action.Assert a) {
        return a.that();
    }

    @Override
    public Set<String> resultFields(Action.Assert a) {
        return Set.of("holds");
    }

    @Override
    public Effect effect(Action.Assert a, Function<YNode, Object> value) {
        return Effect.READ;
    }

    @Override
    public void plan(Action.Assert a, PlanFields out) {
        out.putValue("that", a.that().stream().map(Expr::source).toList());
        out.put("message", a.message());
    }

    @Override
    public String summary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        if (a.get("that") instanceof List<?> that) {
            for (Object t : that) {
                sb.append(sb.isEmpty() ? "" : "\n").append("assert ").append(t);
            }
        }
        if (a.containsKey("message")) {
            sb.append("\nmessage: ").append(PlanText.format(a.get("message")));
        }
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new AssertHandler();
    }
}
