package dev.runbook.journal;

import java.nio.file.Files;
import java.time.Instant;

/**
 * One line of {@code runbook runs}. {@code state} is a run state word, or {@code not-started}
 * (the directory exists, its journal has no record yet) or {@code damaged} ({@code problem}
 * says how).
 */
public record RunSummary(String id, String runbook, Instant startedAt, String state, boolean dryRun,
                         String currentStep, Integer exitCode, String user, String host, String problem) {

    public static RunSummary of(RunDir dir) {
        try {
            if (!Files.exists(dir.journal())) {
                return new RunSummary(dir.id(), null, null, "not-started", false, null, null, null, null, null);
            }
            JournalContents c = dir.readJournal();
            if (c.isEmpty()) {
                return new RunSummary(dir.id(), null, null, "not-started", false, null, null, null, null, null);
            }
            RunState s = RunState.of(c, RunLock.holder(dir.dir()).isPresent());
            return new RunSummary(s.runId(), s.runbook(), s.startedAt(), s.status().word(), s.dryRun(), s.currentStep(),
                    s.exitCode(), s.user(), s.host(), null);
        } catch (JournalException e) {
            return new RunSummary(dir.id(), null, null, "damaged", false, null, null, null, null, e.getMessage());
        }
    }
}
