package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.StepState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run as its journal tells it: each step's last state, outputs, attempts and answer, the
 * run's overall state and the step it is at. A step with a step-started record and no
 * step-finished after it was running when its process stopped: it is {@code interrupted},
 * unless the run is live ({@code live}: a process holds its lock), then {@code running}.
 *
 * @param definitions the runbook's steps as last recorded (run-started, or the latest resume)
 * @param steps       every recorded step by id, in the order they were first recorded
 * @param endedAt     when run-finished was written; null while running or after a crash
 * @param lastRecordAt the time of the journal's last record: when the run was last heard of
 * @param exitCode    from run-finished; null when there is none
 * @param writes      a sandbox run's writes to its simulated cluster, in order, each with its step
 */
public record RunState(
        Path journal,
        String runId,
        String runbook,
        String title,
        String file,
        String sha256,
        String contextSha256,
        boolean dryRun,
        String fromStep,
        String user,
        String host,
        long pid,
        Instant startedAt,
        Instant endedAt,
        Instant lastRecordAt,
        Status status,
        Integer exitCode,
        String message,
        String currentStep,
        Map<String, Object> params,
        List<StepDef> definitions,
        Map<String, StepRecord> steps,
        List<Resume> resumes,
        List<String> warnings,
        List<JournalRecord.SandboxWrite> writes) {

    /** The overall state of a run. */
    public enum Status {
        RUNNING, SUCCEEDED, FAILED, INTERRUPTED, ABORTED;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** From run-finished: its state word when known, else what its exit code means. */
        static Status of(String word, int exitCode) {
            if (word != null) {
                for (Status s : values()) {
                    if (s.word().equalsIgnoreCase(word.strip())) {
                        return s;
                    }
                }
            }
            return switch (exitCode) {
                case 0 -> SUCCEEDED;
                case 3 -> ABORTED;
                case 130 -> INTERRUPTED;
                default -> FAILED;
            };
        }
    }

    /** One step's last recorded end (or start, while it runs). */
    public record StepRecord(String id, String title, String group, StepState state, int attempts, Instant startedAt,
                             Instant endedAt, Map<String, Object> outputs, boolean sensitive, String error,
                             Answer answer, Object wouldRun) {
        public long durationMillis() {
            return startedAt == null || endedAt == null ? 0 : endedAt.toEpochMilli() - startedAt.toEpochMilli();
        }

        /** True when it has start and end times, so a duration means something. */
        public boolean hasDuration() {
            return startedAt != null && endedAt != null;
        }
    }

    /** A resume of the run by a later process. */
    public record Resume(Instant at, String by, String host, long pid, String fromStep, List<String> changed,
                         List<String> removed, boolean contextChanged) {
    }

    /** The state of a run from its journal's contents. */
    public static RunState of(JournalContents c, boolean live) {
        if (c.isEmpty()) {
            throw new JournalException(c.file() + ": the journal holds no complete record: the run's process stopped"
                    + " before the run began" + (c.warnings().isEmpty() ? "" : " (" + c.warnings().get(0) + ")"));
        }
        JournalRecord.RunStarted rs = (JournalRecord.RunStarted) c.records().get(0);
        List<StepDef> defs = rs.steps();
        Map<String, StepDef> byId = index(defs);
        Map<String, StepRecord> steps = new LinkedHashMap<>();
        Map<String, Instant> open = new LinkedHashMap<>();
        List<Resume> resumes = new ArrayList<>();
        List<JournalRecord.SandboxWrite> writes = new ArrayList<>();
        JournalRecord.RunFinished finished = null;
        Instant last = rs.at();
        for (JournalRecord r : c.records().subList(1, c.records().size())) {
            last = r.at();
            if (r instanceof JournalRecord.StepStarted s) {
                StepRecord before = steps.get(s.id());
                boolean again = before == null || before.state().isFinal();
                // A retry keeps the first start of the step; a new run of it (after a resume) starts afresh.
                Instant startedAt = again || before.startedAt() == null ? s.at() : before.startedAt();
                int attempts = again ? Math.max(1, s.attempt()) : Math.max(before.attempts(), s.attempt());
                open.remove(s.id());
                open.put(s.id(), startedAt);
                steps.remove(s.id());
                steps.put(s.id(), new StepRecord(s.id(), title(byId, s.id()), group(byId, s.id()), StepState.RUNNING,
                        attempts, startedAt, null, Map.of(), false, null, null, null));
            } else if (r instanceof JournalRecord.StepFinished f) {
                open.remove(f.id());
                StepRecord before = steps.get(f.id());
                int attempts = Math.max(f.attempts(), before == null ? 0 : before.attempts());
                Instant startedAt = f.startedAt() != null ? f.startedAt() : before == null ? null : before.startedAt();
                steps.remove(f.id()); // keeps the map in order of last activity for the current step
                steps.put(f.id(), new StepRecord(f.id(), title(byId, f.id()), group(byId, f.id()), f.state(), attempts,
                        startedAt, f.endedAt() != null ? f.endedAt() : f.at(), f.outputs(), f.sensitive(), f.error(),
                        f.answer(), f.wouldRun()));
            } else if (r instanceof JournalRecord.SandboxWrite w) {
                writes.add(w);
            } else if (r instanceof JournalRecord.RunFinished f) {
                interruptOpen(steps, open, f.at());
                finished = f;
            } else if (r instanceof JournalRecord.Resumed res) {
                // Steps left open by the previous process were interrupted when it stopped.
                interruptOpen(steps, open, null);
                finished = null;
                if (!res.steps().isEmpty()) {
                    defs = res.steps();
                    byId = index(defs);
                }
                resumes.add(new Resume(res.at(), res.by(), res.host(), res.pid(), res.fromStep(), res.changed(),
                        res.removed(), res.contextChanged()));
            }
        }
        Status status;
        if (finished != null) {
            status = Status.of(finished.state(), finished.exitCode());
        } else if (live) {
            status = Status.RUNNING;
        } else {
            status = Status.INTERRUPTED;
            interruptOpen(steps, open, null);
        }
        String current = currentStep(steps, open, status);
        String sha = rs.sha256();
        String ctx = rs.contextSha256();
        for (JournalRecord r : c.records()) {
            if (r instanceof JournalRecord.Resumed res) {
                sha = res.sha256() != null ? res.sha256() : sha;
                ctx = res.contextSha256() != null ? res.contextSha256() : ctx;
            }
        }
        return new RunState(c.file(), rs.runId(), rs.runbook(), rs.title(), rs.file(), sha, ctx, rs.dryRun(),
                rs.fromStep(), rs.user(), rs.host(), rs.pid(), rs.at(), finished == null ? null : finished.at(), last,
                status, finished == null ? null : finished.exitCode(), finished == null ? null : finished.message(),
                current, rs.params(), defs, reorder(steps, defs), List.copyOf(resumes), c.warnings(), List.copyOf(writes));
    }

    private static void interruptOpen(Map<String, StepRecord> steps, Map<String, Instant> open, Instant at) {
        for (String id : open.keySet()) {
            StepRecord s = steps.get(id);
            steps.put(id, new StepRecord(id, s.title(), s.group(), StepState.INTERRUPTED, s.attempts(), s.startedAt(),
                    at, Map.of(), false, null, null, null));
        }
        open.clear();
    }

    private static String currentStep(Map<String, StepRecord> steps, Map<String, Instant> open, Status status) {
        String innermost = null;
        for (String id : open.keySet()) {
            innermost = id;
        }
        if (innermost != null) {
            return innermost;
        }
        if (status == Status.SUCCEEDED) {
            return null;
        }
        String lastTroubled = null;
        String lastAny = null;
        for (StepRecord s : steps.values()) {
            lastAny = s.id();
            if (s.state() == StepState.FAILED || s.state() == StepState.INTERRUPTED) {
                lastTroubled = s.id();
            }
        }
        return lastTroubled != null ? lastTroubled : lastAny;
    }

    /** Recorded steps in the runbook's order; steps no longer in the runbook at the end. */
    private static Map<String, StepRecord> reorder(Map<String, StepRecord> steps, List<StepDef> defs) {
        Map<String, StepRecord> out = new LinkedHashMap<>();
        for (StepDef d : defs) {
            StepRecord s = steps.get(d.id());
            if (s != null) {
                out.put(d.id(), s);
            }
        }
        for (Map.Entry<String, StepRecord> e : steps.entrySet()) {
            out.putIfAbsent(e.getKey(), e.getValue());
        }
        return out;
    }

    private static Map<String, StepDef> index(List<StepDef> defs) {
        Map<String, StepDef> m = new java.util.HashMap<>();
        for (StepDef d : defs) {
            m.put(d.id(), d);
        }
        return m;
    }

    private static String title(Map<String, StepDef> defs, String id) {
        StepDef d = defs.get(id);
        return d == null ? null : d.title();
    }

    private static String group(Map<String, StepDef> defs, String id) {
        StepDef d = defs.get(id);
        return d == null ? null : d.group();
    }

    /**
     * What {@code status} and the report list: every step of the runbook in order, with its
     * record or as {@code pending}; onFailure steps only when they ran; then recorded steps
     * that the runbook no longer has.
     */
    public List<StepRecord> rows() {
        List<StepRecord> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (StepDef d : definitions) {
            StepRecord s = steps.get(d.id());
            seen.add(d.id());
            if (s != null) {
                out.add(s);
            } else if (!d.onFailure()) {
                out.add(new StepRecord(d.id(), d.title(), d.group(), StepState.PENDING, 0, null, null, Map.of(), false,
                        null, null, null));
            }
        }
        for (StepRecord s : steps.values()) {
            if (!seen.contains(s.id())) {
                out.add(s);
            }
        }
        return out;
    }

    /** The sandbox writes made while step {@code id} ran, in order. */
    public List<JournalRecord.SandboxWrite> writesOf(String id) {
        return writes.stream().filter(w -> id.equals(w.step())).toList();
    }

    /** True when the run ended (a run-finished record is its last word). */
    public boolean isFinished() {
        return endedAt != null;
    }

    public Long durationMillis() {
        Instant end = endedAt != null ? endedAt : lastRecordAt;
        return startedAt == null || end == null ? null : end.toEpochMilli() - startedAt.toEpochMilli();
    }
}
