package dev.runbook.journal;

import dev.runbook.engine.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** {@code runbook runs} and {@code runbook status} as text for a terminal and JSON for tools. */
public final class StatusPrinter {
    private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    /** Longer outputs are cut in text; {@code --format json} has them whole. */
    static final int MAX_TEXT_VALUE = 2000;

    private StatusPrinter() {
    }

    public static String runsText(List<RunSummary> runs) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RUN ID", "RUNBOOK", "STARTED", "STATE", "CURRENT STEP"});
        for (RunSummary r : runs) {
            String state = r.state() + (r.dryRun() ? " (dry run)" : "");
            rows.add(new String[] {r.id(), nz(r.runbook()), Times.text(r.startedAt()), state, nz(r.currentStep())});
        }
        return table(rows);
    }

    public static String runsJson(List<RunSummary> runs) {
        List<Object> out = new ArrayList<>();
        for (RunSummary r : runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("runbook", r.runbook());
            m.put("startedAt", r.startedAt());
            m.put("state", r.state());
            m.put("dryRun", r.dryRun());
            m.put("currentStep", r.currentStep());
            m.put("exitCode", r.exitCode());
            m.put("user", r.user());
            m.put("host", r.host());
            if (r.problem() != null) {
                m.put("problem", r.problem());
            }
            out.add(m);
        }
        return PRETTY.writeValueAsString(Json.plain(out, null)) + "\n";
    }

    public static String statusText(RunState r, Optional<RunLock.Holder> holder) {
        StringBuilder sb = new StringBuilder();
        List<String[]> head = new ArrayList<>();
        head.add(new String[] {"Run", r.runId()});
        head.add(new String[] {"Runbook", r.runbook() + (r.title() != null ? " — " + r.title() : "")
                + (r.file() != null ? " (" + r.file() + ")" : "")});
        String state = r.status().word() + (r.exitCode() != null ? " (exit " + r.exitCode() + ")" : "");
        if (r.currentStep() != null) {
            state += " at step " + r.currentStep();
        }
        head.add(new String[] {"State", state});
        if (r.message() != null && !r.message().isBlank()) {
            head.add(new String[] {"Message", r.message().strip()});
        }
        if (r.dryRun()) {
            head.add(new String[] {"Mode", "dry run (mutating steps did not run; a dry run can't be resumed)"});
        }
        head.add(new String[] {"Started", Times.text(r.startedAt()) + " by " + nz(r.user()) + " on " + nz(r.host())
                + " (pid " + r.pid() + ")"});
        if (r.endedAt() != null) {
            head.add(new String[] {"Ended", Times.text(r.endedAt()) + " after " + Times.duration(r.durationMillis())});
        } else {
            head.add(new String[] {"Last record", Times.text(r.lastRecordAt())});
        }
        holder.ifPresent(h -> head.add(new String[] {"Held by", h.describe()}));
        if (r.fromStep() != null) {
            head.add(new String[] {"From step", r.fromStep() + " (earlier steps skipped)"});
        }
        for (RunState.Resume res : r.resumes()) {
            String s = Times.text(res.at()) + " by " + nz(res.by()) + " on " + nz(res.host());
            if (res.fromStep() != null) {
                s += ", from step " + res.fromStep();
            }
            if (!res.changed().isEmpty()) {
                s += "; changed steps: " + String.join(", ", res.changed());
            }
            if (!res.removed().isEmpty()) {
                s += "; removed steps: " + String.join(", ", res.removed());
            }
            if (res.contextChanged()) {
                s += "; params, vars, targets or defaults changed";
            }
            head.add(new String[] {"Resumed", s});
        }
        if (!r.params().isEmpty()) {
            List<String> ps = new ArrayList<>();
            for (Map.Entry<String, Object> e : r.params().entrySet()) {
                ps.add(e.getKey() + "=" + Values.text(e.getValue()));
            }
            head.add(new String[] {"Params", String.join("  ", ps)});
        }
        int w = 0;
        for (String[] h : head) {
            w = Math.max(w, h[0].length());
        }
        for (String[] h : head) {
            sb.append(pad(h[0], w)).append("  ").append(h[1]).append('\n');
        }
        sb.append('\n');

        List<RunState.StepRecord> rows = r.rows();
        Map<String, String> parents = new java.util.HashMap<>();
        for (StepDef def : r.definitions()) {
            if (def.group() != null) {
                parents.put(def.id(), def.group());
            }
        }
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"STEP", "STATE", "ATTEMPTS", "STARTED", "ENDED", "DURATION"});
        List<List<String>> details = new ArrayList<>();
        details.add(List.of());
        for (RunState.StepRecord s : rows) {
            String indent = "  ".repeat(depth(parents, s.id()));
            table.add(new String[] {indent + s.id(), s.state().word(), s.attempts() > 0 ? String.valueOf(s.attempts()) : "",
                Times.clock(s.startedAt(), r.startedAt()), Times.clock(s.endedAt(), r.startedAt()),
                s.hasDuration() ? Times.duration(s.durationMillis()) : ""});
            details.add(details(s, r.writesOf(s.id()), indent + "  "));
        }
        String[] lines = table(table).split("\n");
        for (int i = 0; i < lines.length; i++) {
            sb.append(lines[i]).append('\n');
            for (String d : details.get(i)) {
                sb.append(d).append('\n');
            }
        }
        return sb.toString();
    }

    private static List<String> details(RunState.StepRecord s, List<JournalRecord.SandboxWrite> writes, String indent) {
        List<String> out = new ArrayList<>();
        for (JournalRecord.SandboxWrite w : writes) {
            out.add(indent + "wrote: " + w.text());
        }
        Answer a = s.answer();
        if (a != null) {
            out.add(indent + "answer: " + nz(a.value()) + "  (by " + nz(a.by()) + " at " + Times.text(a.at())
                    + (a.source() != null ? ", " + a.source() : "") + ")");
        }
        if (s.sensitive()) {
            out.add(indent + "outputs: (sensitive: not recorded)");
        } else if (s.outputs() != null) {
            for (Map.Entry<String, Object> e : s.outputs().entrySet()) {
                out.add(indent + "output " + e.getKey() + " = " + cut(Values.text(e.getValue())));
            }
        }
        if (s.error() != null) {
            block(out, indent, "error: ", s.error());
        } else if (s.state() == dev.runbook.engine.StepState.INTERRUPTED) {
            out.add(indent + "interrupted: it was running when the run stopped, and may have done part of its work");
        }
        if (s.wouldRun() != null) {
            block(out, indent, "would run: ", Report.wouldRunText(s.wouldRun()));
        }
        return out;
    }

    private static void block(List<String> out, String indent, String label, String text) {
        String[] lines = text.stripTrailing().split("\n", -1);
        if (lines.length == 1) {
            out.add(indent + label + cut(lines[0]));
            return;
        }
        out.add(indent + label.stripTrailing());
        for (String l : lines) {
            out.add(indent + "  " + l);
        }
    }

    public static String statusJson(RunState r, Optional<RunLock.Holder> holder) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.runId());
        m.put("runbook", r.runbook());
        m.put("title", r.title());
        m.put("file", r.file());
        m.put("sha256", r.sha256());
        m.put("state", r.status().word());
        m.put("exitCode", r.exitCode());
        m.put("message", r.message());
        m.put("currentStep", r.currentStep());
        m.put("dryRun", r.dryRun());
        m.put("fromStep", r.fromStep());
        m.put("user", r.user());
        m.put("host", r.host());
        m.put("pid", r.pid());
        m.put("startedAt", r.startedAt());
        m.put("endedAt", r.endedAt());
        m.put("lastRecordAt", r.lastRecordAt());
        m.put("durationMs", r.durationMillis());
        if (holder.isPresent()) {
            RunLock.Holder h = holder.get();
            Map<String, Object> hm = new LinkedHashMap<>();
            hm.put("pid", h.pid());
            hm.put("host", h.host());
            hm.put("user", h.user());
            hm.put("since", h.since());
            hm.put("command", h.command());
            m.put("heldBy", hm);
        } else {
            m.put("heldBy", null);
        }
        m.put("params", r.params());
        List<Object> resumes = new ArrayList<>();
        for (RunState.Resume res : r.resumes()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("at", res.at());
            rm.put("by", res.by());
            rm.put("host", res.host());
            rm.put("pid", res.pid());
            rm.put("fromStep", res.fromStep());
            rm.put("changed", res.changed());
            rm.put("removed", res.removed());
            rm.put("contextChanged", res.contextChanged());
            resumes.add(rm);
        }
        m.put("resumes", resumes);
        List<Object> steps = new ArrayList<>();
        for (RunState.StepRecord s : r.rows()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("id", s.id());
            sm.put("title", s.title());
            sm.put("group", s.group());
            sm.put("state", s.state().word());
            sm.put("attempts", s.attempts());
            sm.put("startedAt", s.startedAt());
            sm.put("endedAt", s.endedAt());
            sm.put("durationMs", s.hasDuration() ? s.durationMillis() : null);
            sm.put("outputs", s.outputs());
            sm.put("sensitive", s.sensitive());
            sm.put("error", s.error());
            if (s.answer() != null) {
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("value", s.answer().value());
                am.put("by", s.answer().by());
                am.put("at", s.answer().at());
                am.put("source", s.answer().source());
                sm.put("answer", am);
            } else {
                sm.put("answer", null);
            }
            sm.put("wouldRun", s.wouldRun());
            if (!r.writes().isEmpty()) {
                // Only a sandbox run has writes: the json of other runs stays as it was.
                List<Object> writes = new ArrayList<>();
                for (JournalRecord.SandboxWrite w : r.writesOf(s.id())) {
                    writes.add(writeJson(w));
                }
                sm.put("writes", writes);
            }
            steps.add(sm);
        }
        m.put("steps", steps);
        // Writes no step made (a controller's, between steps) are listed with the run.
        List<Object> between = new ArrayList<>();
        for (JournalRecord.SandboxWrite w : r.writes()) {
            if (w.step() == null) {
                between.add(writeJson(w));
            }
        }
        if (!r.writes().isEmpty()) {
            m.put("writesBetweenSteps", between);
        }
        m.put("warnings", r.warnings());
        return PRETTY.writeValueAsString(Json.plain(m, null)) + "\n";
    }

    private static Map<String, Object> writeJson(JournalRecord.SandboxWrite w) {
        Map<String, Object> wm = new LinkedHashMap<>();
        wm.put("at", w.at());
        wm.put("verb", w.verb());
        wm.put("resource", w.resource());
        wm.put("subresource", w.subresource());
        wm.put("namespace", w.namespace());
        wm.put("name", w.name());
        return wm;
    }

    private static int depth(Map<String, String> parents, String id) {
        int d = 0;
        for (String cur = parents.get(id); cur != null && d < 64; cur = parents.get(cur)) {
            d++;
        }
        return d;
    }

    private static String cut(String s) {
        return s.length() <= MAX_TEXT_VALUE ? s
                : s.substring(0, MAX_TEXT_VALUE) + "… (" + s.length() + " characters; --format json shows all)";
    }

    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(i == cols - 1 ? r[i] : pad(r[i], w[i]) + "  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
