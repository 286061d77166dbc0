package dev.runbook.actions.file;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code file}: write a local file (mutating) or read one (a read). */
public final class FileType implements ActionType<Action.FileOp> {
    @Override
    public String keyword() {
        return "file";
    }

    @Override
    public Class<Action.FileOp> type() {
        return Action.FileOp.class;
    }

    @Override
    public Action.FileOp read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        boolean quiet = m.hasUnknownKeys();
        boolean write = m.has("write");
        boolean read = m.has("read");
        if (write && read) {
            r.error(m.keyPos("read"), "file in step '" + r.id() + "' has both 'write' and 'read': give one");
            return null;
        }
        if (!write && !read) {
            if (!quiet) {
                r.error(r.at(), "file in step '" + r.id() + "' needs 'write: PATH' or 'read: PATH'");
            }
            return null;
        }
        if (write && !m.has("content") && !quiet) {
            r.error(m.keyPos("write"), "file write in step '" + r.id() + "' needs 'content'");
        }
        if (read) {
            for (String k : List.of("content", "format", "mode")) {
                if (m.has(k)) {
                    r.error(m.keyPos(k), "'" + k + "' applies to file write only");
                }
            }
        } else if (m.has("parse")) {
            r.error(m.keyPos("parse"), "'parse' applies to file read only");
        }
        String format = m.string("format");
        if (write && format == null) {
            YNode c = m.get("content");
            format = c instanceof YMap || c instanceof YSeq ? "yaml" : "text";
        }
        return new Action.FileOp(write ? "write" : "read", m.get(write ? "write" : "read"), m.get("content"),
                format, m.string("mode"), m.string("parse"));
    }

    @Override
    public List<YNode> templated(Action.FileOp f) {
        return ActionType.fields(f.path(), f.content());
    }

    @Override
    public Set<String> resultFields(Action.FileOp f) {
        return f.op().equals("read") ? Set.of("path", "content", "lines", "json") : Set.of("path", "bytes");
    }

    @Override
    public Effect effect(Action.FileOp f, Function<YNode, Object> value) {
        return f.op().equals("read") ? Effect.READ : Effect.MUTATES;
    }

    @Override
    public void plan(Action.FileOp f, PlanFields out) {
        out.putValue("op", f.op());
        out.put("path", f.path());
        if (f.op().equals("write")) {
            out.putValue("format", f.format());
            if (f.mode() != null) {
                out.putValue("mode", f.mode());
            }
            out.put("content", f.content());
        } else if (f.parse() != null) {
            out.putValue("parse", f.parse());
        }
    }

    @Override
    public String summary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        sb.append("file ").append(a.get("op")).append(' ').append(PlanText.format(a.get("path")));
        if (a.containsKey("mode")) {
            sb.append(" mode ").append(a.get("mode"));
        }
        if (a.containsKey("content")) {
            sb.append(" (").append(a.get("format")).append(")");
            Object c = a.get("content");
            String content = !(c instanceof Map || c instanceof List) ? PlanText.format(c)
                    : "json".equals(a.get("format")) ? PlanText.json(c) : PlanText.yaml(c);
            for (String line : content.stripTrailing().split("\n")) {
                sb.append("\n  ").append(line);
            }
        }
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new FileHandler();
    }
}
