package dev.runbook.runbooktest;

import dev.runbook.engine.StepState;
import dev.runbook.journal.JournalException;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one run of a test left behind, read back from disk: its exit code, its journal (null
 * when the run stopped before its journal began, a usage error say), the run's copy of the
 * simulated world, and its working directory.
 *
 * @param journalProblem why the journal could not be read, or null
 */
public record RunFacts(int exitCode, RunState run, String journalProblem, Path runDir, Path workDir) {
    /** The world a sandbox run works on: {@code STATE/runs/RUN-ID/world/}. */
    public static final String WORLD = "world";

    /** Reads the run recorded in {@code stateDir} (a test's own state directory: it holds one run). */
    public static RunFacts read(int exitCode, Path stateDir, Path workDir) {
        List<RunDir> runs = RunStore.at(stateDir).list();
        if (runs.isEmpty()) {
            return new RunFacts(exitCode, null, "the run recorded nothing (it stopped before it began)", null, workDir);
        }
        RunDir dir = runs.get(runs.size() - 1);
        if (!Files.exists(dir.journal())) {
            return new RunFacts(exitCode, null, "the run has no journal (it stopped before it began)", dir.dir(), workDir);
        }
        try {
            return new RunFacts(exitCode, RunState.of(dir.readJournal(), false), null, dir.dir(), workDir);
        } catch (JournalException e) {
            return new RunFacts(exitCode, null, "the run's journal cannot be read: " + e.getMessage(), dir.dir(), workDir);
        }
    }

    public Path stateFile(String name) {
        return runDir == null ? null : runDir.resolve(WORLD).resolve(".state").resolve(name);
    }

    /**
     * The step that failed: of the failed steps, the one that ended first. A group fails after
     * the step in it that failed, and onFailure steps run after the failure: neither is the cause.
     */
    public Optional<RunState.StepRecord> failedStep() {
        if (run == null) {
            return Optional.empty();
        }
        RunState.StepRecord first = null;
        for (RunState.StepRecord s : run.steps().values()) {
            if (s.state() != StepState.FAILED) {
                continue;
            }
            Instant at = s.endedAt() == null ? Instant.MAX : s.endedAt();
            if (first == null || at.isBefore(first.endedAt() == null ? Instant.MAX : first.endedAt())) {
                first = s;
            }
        }
        return Optional.ofNullable(first);
    }

    /** A step's state at the end; a step never reached is pending. */
    public String stateOf(String stepId) {
        RunState.StepRecord s = run == null ? null : run.steps().get(stepId);
        return s == null ? StepState.PENDING.word() : s.state().word();
    }

    /** Whether the runbook that ran has this step (main or onFailure). */
    public boolean hasStep(String stepId) {
        return run != null && run.definitions().stream().anyMatch(d -> d.id().equals(stepId));
    }
}
