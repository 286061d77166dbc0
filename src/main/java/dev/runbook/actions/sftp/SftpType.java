package dev.runbook.actions.sftp;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionChecks;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code sftp} on an ssh target: list and stat are reads; get writes a local file, put a remote one. */
public final class SftpType implements ActionType<Action.Sftp> {
    public static final List<String> OPERATIONS = List.of("list", "stat", "get", "put");

    @Override
    public String keyword() {
        return "sftp";
    }

    @Override
    public Class<Action.Sftp> type() {
        return Action.Sftp.class;
    }

    @Override
    public Action.Sftp read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        List<String> ops = new ArrayList<>();
        for (String op : OPERATIONS) {
            if (m.has(op)) {
                ops.add(op);
            }
        }
        ops.sort((a, b) -> m.keyPos(a).compareTo(m.keyPos(b)));
        if (ops.isEmpty()) {
            if (!m.hasUnknownKeys()) {
                r.error(r.at(), "sftp in step '" + r.id() + "' needs an operation: one of list, stat, get, put");
            }
            return null;
        }
        if (ops.size() > 1) {
            r.error(m.keyPos(ops.get(1)), "sftp in step '" + r.id() + "' has more than one operation ('"
                    + ops.get(0) + "' and '" + ops.get(1) + "'): one per step");
            return null;
        }
        String op = ops.get(0);
        YNode path = null;
        YNode from = null;
        YNode to = null;
        if (op.equals("list") || op.equals("stat")) {
            path = m.get(op);
        } else {
            Section t = m.section(op, "transfer");
            if (t != null) {
                from = t.get("from");
                to = t.get("to");
            }
        }
        return new Action.Sftp(m.string("on"), op, path, from, to);
    }

    @Override
    public List<YNode> templated(Action.Sftp f) {
        return ActionType.fields(f.path(), f.from(), f.to());
    }

    @Override
    public void check(Action.Sftp f, ActionChecks checks) {
        checks.targetRef(f.on(), Target.Ssh.class, "an ssh");
    }

    @Override
    public Set<String> resultFields(Action.Sftp f) {
        return switch (f.op()) {
            case "list" -> Set.of("files");
            case "stat" -> Set.of("name", "size", "mtime", "dir", "mode");
            default -> Set.of("from", "to", "bytes");
        };
    }

    @Override
    public Effect effect(Action.Sftp f, Function<YNode, Object> value) {
        return f.op().equals("list") || f.op().equals("stat") ? Effect.READ : Effect.MUTATES;
    }

    @Override
    public void plan(Action.Sftp f, PlanFields out) {
        out.putValue("on", f.on());
        out.putValue("op", f.op());
        out.put("path", f.path());
        out.put("from", f.from());
        out.put("to", f.to());
    }

    @Override
    public String summary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        sb.append("sftp ").append(a.get("op")).append(" on ").append(a.get("on"));
        PlanText.keyValues(sb, a, List.of("path", "from", "to"));
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new SftpHandler();
    }
}
