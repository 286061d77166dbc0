package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.StepState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a journal. Each type maps to and from a JSON object whose {@code type} names it;
 * fields that are null are left out. The journal adds {@code seq} and the checksum around this.
 */
public sealed interface JournalRecord permits JournalRecord.RunStarted, JournalRecord.StepStarted,
        JournalRecord.StepFinished, JournalRecord.RunFinished, JournalRecord.Resumed, JournalRecord.SandboxWrite {

    /** The version of the on-disk format, written in run-started. */
    int FORMAT = 1;

    String type();

    Instant at();

    /** The JSON fields of this record, in the order they are written, without seq and crc. */
    Map<String, Object> fields();

    /** The run began. {@code params} are the non-secret ones only. */
    record RunStarted(Instant at, String runId, String runbook, String title, String file, String sha256,
                      String contextSha256, List<StepDef> steps, Map<String, Object> params, boolean dryRun,
                      String fromStep, String user, String host, long pid) implements JournalRecord {
        public String type() {
            return "run-started";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("format", FORMAT);
            m.put("runId", runId);
            m.put("runbook", runbook);
            m.put("title", title);
            m.put("file", file);
            m.put("sha256", sha256);
            m.put("contextSha256", contextSha256);
            m.put("dryRun", dryRun);
            m.put("fromStep", fromStep);
            m.put("user", user);
            m.put("host", host);
            m.put("pid", pid);
            m.put("params", params);
            m.put("steps", stepsOut(steps));
            return m;
        }
    }

    /** A step's action is about to start: attempt 1, then 2, ... for retries. */
    record StepStarted(Instant at, String id, int attempt) implements JournalRecord {
        public String type() {
            return "step-started";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("id", id);
            m.put("attempt", attempt);
            return m;
        }
    }

    /**
     * A step ended. {@code sensitive} says that its outputs were left out on purpose;
     * {@code wouldRun} is, in a dry run, exactly what a mutating step would have run.
     */
    record StepFinished(Instant at, String id, StepState state, int attempts, Instant startedAt, Instant endedAt,
                        Map<String, Object> outputs, boolean sensitive, String error, Answer answer,
                        Object wouldRun) implements JournalRecord {
        public String type() {
            return "step-finished";
        }

        public long durationMillis() {
            return startedAt == null || endedAt == null ? 0 : endedAt.toEpochMilli() - startedAt.toEpochMilli();
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("id", id);
            m.put("state", state.word());
            m.put("attempts", attempts);
            m.put("startedAt", startedAt);
            m.put("endedAt", endedAt);
            m.put("durationMs", startedAt == null || endedAt == null ? null : durationMillis());
            m.put("outputs", outputs);
            m.put("sensitive", sensitive ? Boolean.TRUE : null);
            m.put("error", error);
            if (answer != null) {
                Map<String, Object> a = new LinkedHashMap<>();
                putIf(a, "value", answer.value());
                putIf(a, "by", answer.by());
                putIf(a, "at", answer.at());
                putIf(a, "source", answer.source());
                m.put("answer", a);
            }
            m.put("wouldRun", wouldRun);
            return m;
        }
    }

    /** The run ended with a state (succeeded, failed, interrupted, aborted) and its exit code. */
    record RunFinished(Instant at, String state, int exitCode, String message) implements JournalRecord {
        public String type() {
            return "run-finished";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("state", state);
            m.put("exitCode", exitCode);
            m.put("message", message);
            return m;
        }
    }

    /**
     * The run was resumed by a new process. It carries the runbook as it is now (its hashes and
     * steps) and what changed since the previous start or resume.
     */
    record Resumed(Instant at, String by, String host, long pid, String fromStep, String sha256,
                   String contextSha256, boolean contextChanged, List<StepDef> steps, List<String> changed,
                   List<String> removed) implements JournalRecord {
        public String type() {
            return "resumed";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("by", by);
            m.put("host", host);
            m.put("pid", pid);
            m.put("fromStep", fromStep);
            m.put("sha256", sha256);
            m.put("contextSha256", contextSha256);
            m.put("contextChanged", contextChanged);
            m.put("changed", changed);
            m.put("removed", removed);
            m.put("steps", stepsOut(steps));
            return m;
        }
    }

    /**
     * A sandbox run's API server accepted a write (SPEC 6.1) while {@code step} was running (null:
     * between steps, say a controller's write). Readers older than this record skip it with a warning.
     *
     * @param resource plural with its group; {@code subresource} is {@code status} for a status write, else null
     */
    record SandboxWrite(Instant at, String step, String verb, String resource, String subresource, String namespace,
                        String name) implements JournalRecord {
        public String type() {
            return "sandbox-write";
        }

        public Map<String, Object> fields() {
            Map<String, Object> m = head(this);
            m.put("step", step);
            m.put("verb", verb);
            m.put("resource", resource);
            m.put("subresource", subresource);
            m.put("namespace", namespace);
            m.put("name", name);
            return m;
        }

        /** {@code patch cassandraclusters.apic.ibm.com/status apiconnect/cc}: one line for status and report. */
        public String text() {
            return verb + " " + resource + (subresource != null ? "/" + subresource : "") + " "
                    + (namespace != null ? namespace + "/" : "") + name;
        }
    }

    private static Map<String, Object> head(JournalRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", r.type());
        m.put("at", r.at());
        return m;
    }

    private static void putIf(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    private static List<Object> stepsOut(List<StepDef> steps) {
        List<Object> out = new ArrayList<>(steps.size());
        for (StepDef d : steps) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", d.id());
            putIf(s, "title", d.title());
            putIf(s, "group", d.group());
            s.put("sha256", d.sha256());
            putIf(s, "onFailure", d.onFailure() ? Boolean.TRUE : null);
            out.add(s);
        }
        return out;
    }
}
