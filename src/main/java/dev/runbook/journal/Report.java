package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.StepState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * The markdown report of a run, written to {@code report.md} at the end of every run (dry runs
 * too) and printed by {@code runbook status --format markdown}: what an operator attaches to a
 * change ticket. It is made from the journal alone, so it holds nothing the journal does not:
 * no secret param, no sensitive output, no secret answer.
 */
public final class Report {
    /** Outputs longer than this are cut in the report; the journal and {@code status} have them whole. */
    static final int MAX_OUTPUT = 600;

    private Report() {
    }

    public static String markdown(RunState r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Run report: ").append(oneLine(r.title() != null ? r.title() : r.runbook())).append("\n\n");
        sb.append("| | |\n|---|---|\n");
        row(sb, "Runbook", code(r.runbook()) + (r.file() != null ? " (" + code(r.file()) + ")" : "")
                + (r.sha256() != null ? ", sha-256 " + code(r.sha256().substring(0, Math.min(16, r.sha256().length()))) : ""));
        row(sb, "Run", code(r.runId()));
        String result = "**" + r.status().word() + "**" + (r.exitCode() != null ? " (exit " + r.exitCode() + ")" : "");
        if (r.currentStep() != null) {
            result += r.status() == RunState.Status.RUNNING ? ", at step " : " at step ";
            result += code(r.currentStep());
        }
        row(sb, "Result", result);
        if (r.message() != null && !r.message().isBlank()) {
            row(sb, "Message", cell(r.message()));
        }
        if (r.dryRun()) {
            row(sb, "Mode", "dry run: read steps ran for real, mutating steps did not run");
        }
        row(sb, "Started", Times.text(r.startedAt()) + " by " + cell(r.user()) + " on " + cell(r.host()));
        if (r.endedAt() != null) {
            row(sb, "Ended", Times.text(r.endedAt()) + " (" + Times.duration(r.durationMillis()) + ")");
        } else {
            row(sb, "Last record", Times.text(r.lastRecordAt()) + " (the run has no end record)");
        }
        if (r.fromStep() != null) {
            row(sb, "Started at step", code(r.fromStep()) + " (`--from`: earlier steps skipped)");
        }
        for (RunState.Resume res : r.resumes()) {
            String s = Times.text(res.at()) + " by " + cell(res.by()) + " on " + cell(res.host());
            if (res.fromStep() != null) {
                s += ", from step " + code(res.fromStep());
            }
            if (!res.changed().isEmpty()) {
                s += "; changed steps: " + codes(res.changed());
            }
            if (!res.removed().isEmpty()) {
                s += "; removed steps: " + codes(res.removed());
            }
            if (res.contextChanged()) {
                s += "; params, vars, targets or defaults changed";
            }
            row(sb, "Resumed", s);
        }
        sb.append('\n');

        sb.append("## Params\n\n");
        if (r.params().isEmpty()) {
            sb.append("No params.");
        } else {
            sb.append("| Param | Value |\n|---|---|\n");
            for (Map.Entry<String, Object> e : r.params().entrySet()) {
                sb.append("| ").append(code(e.getKey())).append(" | ").append(code(Values.text(e.getValue()))).append(" |\n");
            }
        }
        sb.append("\nSecret params are not recorded.\n\n");

        List<RunState.StepRecord> rows = r.rows();
        sb.append("## Steps\n\n");
        sb.append("| # | Step | State | Attempts | Started | Duration |\n|---:|---|---|---:|---|---:|\n");
        int n = 0;
        for (RunState.StepRecord s : rows) {
            n++;
            String name = code(s.id()) + (s.title() != null ? " " + cell(s.title()) : "");
            if (s.group() != null) {
                name = "&nbsp;&nbsp;" + name;
            }
            String state = s.state() == StepState.FAILED || s.state() == StepState.INTERRUPTED
                    ? "**" + s.state().word() + "**" : s.state().word();
            sb.append("| ").append(n).append(" | ").append(name).append(" | ").append(state).append(" | ")
                    .append(s.attempts() > 0 ? String.valueOf(s.attempts()) : "").append(" | ")
                    .append(Times.clock(s.startedAt(), r.startedAt())).append(" | ")
                    .append(s.hasDuration() ? Times.duration(s.durationMillis()) : "").append(" |\n");
        }
        sb.append('\n');

        List<RunState.StepRecord> answered = new ArrayList<>();
        List<RunState.StepRecord> errors = new ArrayList<>();
        List<RunState.StepRecord> wouldRun = new ArrayList<>();
        List<RunState.StepRecord> outputs = new ArrayList<>();
        for (RunState.StepRecord s : rows) {
            if (s.answer() != null) {
                answered.add(s);
            }
            if (s.error() != null || s.state() == StepState.INTERRUPTED) {
                errors.add(s);
            }
            if (s.wouldRun() != null) {
                wouldRun.add(s);
            }
            if (s.sensitive() || (s.outputs() != null && !s.outputs().isEmpty())) {
                outputs.add(s);
            }
        }
        if (!answered.isEmpty()) {
            sb.append("## Answers\n\n| Step | Answer | By | At | Given by |\n|---|---|---|---|---|\n");
            for (RunState.StepRecord s : answered) {
                Answer a = s.answer();
                sb.append("| ").append(code(s.id())).append(" | ").append(code(a.value() == null ? "" : a.value()))
                        .append(" | ").append(cell(a.by())).append(" | ").append(Times.text(a.at())).append(" | ")
                        .append(cell(a.source())).append(" |\n");
            }
            sb.append("\nSecret answers are shown as `***`.\n\n");
        }
        if (!errors.isEmpty()) {
            sb.append("## Errors\n\n");
            for (RunState.StepRecord s : errors) {
                String msg = s.error() != null ? s.error()
                        : "interrupted: the step was running when the run stopped; it may have done part of its work";
                sb.append("- ").append(code(s.id())).append(" (").append(s.state().word()).append("):");
                if (msg.contains("\n")) {
                    sb.append('\n');
                    fence(sb, msg, "  ");
                } else {
                    sb.append(' ').append(escape(msg)).append('\n');
                }
            }
            sb.append('\n');
        }
        if (r.dryRun() || !wouldRun.isEmpty()) {
            sb.append("## Would run\n\n");
            if (wouldRun.isEmpty()) {
                sb.append("No mutating step was reached.\n\n");
            } else {
                sb.append("Mutating steps that did not run in this rehearsal, with exactly what a real run would run:\n\n");
                for (RunState.StepRecord s : wouldRun) {
                    sb.append("### ").append(code(s.id())).append(s.title() != null ? " " + oneLine(s.title()) : "").append("\n\n");
                    fence(sb, wouldRunText(s.wouldRun()), "");
                    sb.append('\n');
                }
            }
        }
        if (!outputs.isEmpty()) {
            sb.append("## Outputs\n\n");
            for (RunState.StepRecord s : outputs) {
                sb.append("- ").append(code(s.id())).append(": ");
                if (s.sensitive()) {
                    sb.append("(sensitive: not recorded)\n");
                } else {
                    String json = Json.write(s.outputs());
                    if (json.length() > MAX_OUTPUT) {
                        json = json.substring(0, MAX_OUTPUT) + "…";
                    }
                    sb.append(code(json)).append('\n');
                }
            }
            sb.append('\n');
        }
        writes(sb, r);
        if (!r.warnings().isEmpty()) {
            sb.append("## Journal warnings\n\n");
            for (String w : r.warnings()) {
                sb.append("- ").append(escape(w)).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A sandbox run's writes to its simulated cluster, per step, in the order they were made (SPEC 9). */
    private static void writes(StringBuilder sb, RunState r) {
        if (r.writes().isEmpty()) {
            return;
        }
        sb.append("## Writes\n\nWrites the sandbox's API server accepted (server-side dry runs are not writes):\n\n");
        sb.append("| Step | Verb | Resource | Namespace | Name | At |\n|---|---|---|---|---|---|\n");
        for (JournalRecord.SandboxWrite w : r.writes()) {
            sb.append("| ").append(w.step() == null ? "(between steps)" : code(w.step())).append(" | ")
                    .append(cell(w.verb())).append(" | ")
                    .append(code(w.resource() + (w.subresource() != null ? "/" + w.subresource() : ""))).append(" | ")
                    .append(w.namespace() == null ? "" : code(w.namespace())).append(" | ")
                    .append(w.name() == null ? "" : code(w.name())).append(" | ")
                    .append(Times.clock(w.at(), r.startedAt())).append(" |\n");
        }
        sb.append('\n');
    }

    /**
     * What a would-run step would have run, as a person reads it: a string as it is (a script,
     * a manifest), a list of words as one command line, anything else as YAML; in a map, an
     * {@code argv} comes first as a command line, then the rest.
     */
    static String wouldRunText(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map<?, ?> m && m.get("argv") instanceof List<?> argv && m.size() > 0) {
            String line = wouldRunText(argv);
            Map<Object, Object> rest = new java.util.LinkedHashMap<>(m);
            rest.remove("argv");
            return rest.isEmpty() ? line : line + "\n" + wouldRunText(rest);
        }
        if (v instanceof List<?> l && l.stream().allMatch(o -> o instanceof String || o instanceof Number || o instanceof Boolean)) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(Values.shellWord(String.valueOf(o)));
            }
            return sb.toString();
        }
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return new Dump(settings).dumpToString(Json.plain(v, null)).stripTrailing();
    }

    private static void row(StringBuilder sb, String key, String value) {
        sb.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    /** A code fence longer than any run of backticks in {@code text}, so that the text cannot close it. */
    public static String fenceFor(String text) {
        String fence = "```";
        while (text.contains(fence)) {
            fence += "`";
        }
        return fence;
    }

    private static void fence(StringBuilder sb, String text, String indent) {
        String fence = fenceFor(text);
        sb.append(indent).append(fence).append('\n');
        for (String line : text.stripTrailing().split("\n", -1)) {
            sb.append(indent).append(line).append('\n');
        }
        sb.append(indent).append(fence).append('\n');
    }

    private static String codes(List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add(code(id));
        }
        return String.join(", ", out);
    }

    /** Inline code that survives backticks and pipes inside a table. */
    static String code(String s) {
        if (s == null) {
            return "";
        }
        String t = oneLine(s).replace("|", "\\|");
        String ticks = "`";
        while (t.contains(ticks)) {
            ticks += "`";
        }
        boolean pad = t.startsWith("`") || t.endsWith("`");
        return ticks + (pad ? " " : "") + t + (pad ? " " : "") + ticks;
    }

    private static String cell(String s) {
        return s == null ? "" : escape(oneLine(s));
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_");
    }

    private static String oneLine(String s) {
        return s.strip().replace("\r", "").replace("\n", " ⏎ ");
    }
}
