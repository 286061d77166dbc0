package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunLock;
import dev.runbook.journal.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class RunsStatusCommandTest {
    static final Instant T0 = Instant.parse("2026-11-23T03:15:00Z");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    Path state() {
        return tmp.resolve("state");
    }

    @Test
    void runsListsEveryRunNewestFirstWithItsStateAndCurrentStep() {
        RunDir ok = Runs.succeeded(state(), T0.minusSeconds(60));
        RunDir crashed = Runs.crashed(state(), T0.plusSeconds(3600));
        RunDir dry = Runs.dryRun(state());
        Result r = run("runs", "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("RUN ID +RUNBOOK +STARTED +STATE +CURRENT STEP");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith(crashed.id()).contains("restore-demo").contains("2026-11-23 04:15:00Z")
                .contains("interrupted").endsWith("restore");
        assertThat(lines.get(2)).startsWith(dry.id()).contains("failed (dry run)").endsWith("verify");
        assertThat(lines.get(3)).startsWith(ok.id()).contains("2026-11-23 03:14:00Z").contains("succeeded");
    }

    @Test
    void runsAsJson() {
        Runs.succeeded(state(), T0);
        RunDir crashed = Runs.crashed(state(), T0.plusSeconds(60));
        Result r = run("runs", "--state-dir", state().toString(), "--format", "json");
        assertThat(r.code()).isZero();
        List<?> runs = JSON.readValue(r.out(), List.class);
        assertThat(runs).hasSize(2);
        Map<?, ?> first = (Map<?, ?>) runs.get(0);
        assertThat(first.get("id")).isEqualTo(crashed.id());
        assertThat(first.get("state")).isEqualTo("interrupted");
        assertThat(first.get("currentStep")).isEqualTo("restore");
        assertThat(first.get("startedAt")).isEqualTo("2026-11-23T03:16:00Z");
        assertThat(first.get("user")).isEqualTo("alice");
    }

    @Test
    void noRunsIsNotAnError() {
        Result r = run("runs", "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("No runs in " + state() + ".\n");
        assertThat(run("runs", "--state-dir", state().toString(), "--format", "json").out().strip()).isEqualTo("[ ]");
        Result s = run("status", "--state-dir", state().toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).isEqualTo("runbook: no runs in " + state() + "\n");
    }

    @Test
    void statusShowsTheLatestRunsStepsTimesOutputsAndAnswers() {
        Runs.crashed(state(), T0.plusSeconds(3600));
        RunDir ok = Runs.succeeded(state(), T0.plusSeconds(7200));
        Result r = run("status", "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        String out = r.out();
        assertThat(out).contains("Run      " + ok.id() + "\n")
                .contains("Runbook  restore-demo — Restore the demo database (runbooks/demo.yaml)\n")
                .contains("State    succeeded (exit 0)\n")
                .contains("Started  2026-11-23 05:15:00Z by alice on host-a (pid 4242)\n")
                .contains("Params   namespace=apic  backupId=123\n");
        assertThat(out).containsPattern("\nSTEP +STATE +ATTEMPTS +STARTED +ENDED +DURATION\n")
                .containsPattern("\ntraffic-stopped +succeeded +1 +05:15:00Z +05:15:01Z +1s\n")
                .contains("  answer: yes  (by alice at 2026-11-23 05:15:00Z, terminal)\n")
                .contains("  output names = [\"cassandra-0\",\"cassandra-1\"]\n")
                .containsPattern("\n  restore +succeeded +1 ")
                .doesNotContain("diagnostics");
    }

    @Test
    void statusOfACrashedRunShowsTheInterruptedStepAndWhatIsLeft() {
        RunDir crashed = Runs.crashed(state(), T0);
        Runs.succeeded(state(), T0.plusSeconds(60));
        Result r = run("status", crashed.id().substring(0, 26), "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("State        interrupted at step restore\n")
                .containsPattern("\n  restore +interrupted +1 ")
                .contains("interrupted: it was running when the run stopped")
                .containsPattern("\n  verify +pending\n")
                .containsPattern("\ntoken +pending\n");
    }

    @Test
    void statusAsJsonHasEverythingATicketOrAToolNeeds() {
        RunDir dry = Runs.dryRun(state());
        Result r = run("status", dry.id(), "--state-dir", state().toString(), "--format", "json");
        assertThat(r.code()).isZero();
        Map<?, ?> m = JSON.readValue(r.out(), Map.class);
        assertThat(m.get("id")).isEqualTo(dry.id());
        assertThat(m.get("state")).isEqualTo("failed");
        assertThat(m.get("exitCode")).isEqualTo(1);
        assertThat(m.get("dryRun")).isEqualTo(true);
        assertThat(m.get("heldBy")).isNull();
        assertThat(m.get("params")).isEqualTo(Map.of("namespace", "apic", "backupId", "123"));
        List<?> steps = (List<?>) m.get("steps");
        assertThat(steps).hasSize(7);
        Map<?, ?> restore = (Map<?, ?>) steps.get(5);
        assertThat(restore.get("id")).isEqualTo("restore");
        assertThat(restore.get("group")).isEqualTo("section");
        assertThat(restore.get("state")).isEqualTo("would-run");
        assertThat(restore.get("wouldRun")).isEqualTo(List.of("apicup", "subsys", "exec", "mgmt", "restore", "123", "it's | odd"));
        assertThat(restore.get("durationMs")).isEqualTo(1000);
        Map<?, ?> token = (Map<?, ?>) steps.get(1);
        assertThat(token.get("answer")).isEqualTo(Map.of("value", "***", "by", "alice", "at", "2026-11-23T03:15:00Z", "source", "--answer"));
        Map<?, ?> creds = (Map<?, ?>) steps.get(3);
        assertThat(creds.get("sensitive")).isEqualTo(true);
        assertThat(creds.get("outputs")).isEqualTo(Map.of());
    }

    @Test
    void statusAsMarkdownIsTheReport() throws IOException {
        RunDir dry = Runs.dryRun(state());
        Result r = run("status", dry.id(), "--state-dir", state().toString(), "--format", "markdown");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(dry.report()));
    }

    @Test
    void aLiveRunIsRunningAndNamesItsHolder() {
        RunDir crashed = Runs.crashed(state(), T0);
        try (RunLock lock = RunLock.acquire(crashed.dir(), "resume")) {
            assertThat(lock.holder().command()).isEqualTo("resume");
            Result r = run("status", "--state-dir", state().toString());
            assertThat(r.out()).contains("State        running at step restore\n")
                    .contains("Held by      pid " + ProcessHandle.current().pid())
                    .containsPattern("\n  restore +running +1 ");
            Result runs = run("runs", "--state-dir", state().toString());
            assertThat(runs.out().lines().toList().get(1)).contains("running").endsWith("restore");
        }
    }

    @Test
    void aDamagedJournalIsAClearMessageAndExit2() throws IOException {
        RunDir good = Runs.succeeded(state(), T0);
        RunDir bad = Runs.crashed(state(), T0.plusSeconds(60));
        List<String> lines = Files.readAllLines(bad.journal());
        lines.set(1, lines.get(1).replace("traffic-stopped", "traffic-stoppet"));
        Files.write(bad.journal(), lines);

        Result s = run("status", bad.id(), "--state-dir", state().toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.out()).isEmpty();
        assertThat(s.err()).startsWith("runbook: " + bad.journal() + ": line 2 of " + lines.size() + ": damaged record: checksum mismatch.")
                .doesNotContain("Exception").doesNotContain("\tat ");

        Result r = run("runs", "--state-dir", state().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains(good.id()).containsPattern(bad.id() + " +damaged");
        assertThat(r.err()).startsWith("runbook: run " + bad.id() + ": " + bad.journal() + ": line 2");
    }

    @Test
    void aTornLastRecordIsAWarningAndTheRunStillShows() throws IOException {
        RunDir crashed = Runs.crashed(state(), T0);
        byte[] b = Files.readAllBytes(crashed.journal());
        Files.write(crashed.journal(), java.util.Arrays.copyOf(b, b.length - 10));
        Result r = run("status", "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("State        interrupted at step section\n");
        assertThat(r.err()).startsWith("warning: " + crashed.journal() + ": line 7: the last record is incomplete or damaged");
        Result json = run("status", "--state-dir", state().toString(), "--format", "json");
        assertThat(json.err()).isEmpty();
        assertThat((List<?>) JSON.readValue(json.out(), Map.class).get("warnings")).hasSize(1);
    }

    @Test
    void unknownAndAmbiguousRunIdsAreUsageErrors() {
        Runs.succeeded(state(), T0);
        Runs.succeeded(state(), T0);
        Result unknown = run("status", "20991231-000000-x-0000", "--state-dir", state().toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("runbook: no run '20991231-000000-x-0000' in " + state().resolve("runs")
                + " (see 'runbook runs')\n");
        Result traversal = run("status", "../../etc", "--state-dir", state().toString());
        assertThat(traversal.code()).isEqualTo(2);
        assertThat(traversal.err()).contains("no run '../../etc'");
        Result ambiguous = run("status", "20261123-031500", "--state-dir", state().toString());
        assertThat(ambiguous.code()).isEqualTo(2);
        assertThat(ambiguous.err()).contains("matches 2 runs; give more of the id:");
    }

    @Test
    void aRunDirectoryWithoutAJournalYetIsListedAsNotStarted() throws IOException {
        Files.createDirectories(state().resolve("runs").resolve("20261123-031500-demo-0a0b"));
        Result r = run("runs", "--state-dir", state().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("20261123-031500-demo-0a0b +not-started");
        Result s = run("status", "--state-dir", state().toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).isEqualTo("runbook: run 20261123-031500-demo-0a0b has no journal: its process stopped before"
                + " the run began (or it is starting right now)\n");
        // Once a run has begun, it is the latest even though the empty directory sorts after it.
        RunDir begun = Runs.succeeded(state(), T0.minusSeconds(3600));
        Result latest = run("status", "--state-dir", state().toString());
        assertThat(latest.code()).isZero();
        assertThat(latest.out()).contains(begun.id());
    }

    @Test
    void aHeldRunIsExit4WithTheHolderAndAJournalErrorIsExit2() throws IOException {
        RunDir dir = Runs.crashed(state(), T0);
        try (RunLock lock = RunLock.acquire(dir.dir(), "resume")) {
            StringWriter err = new StringWriter();
            RuntimeException refused = org.assertj.core.api.Assertions.catchRuntimeException(() -> RunLock.acquire(dir.dir(), "run"));
            assertThat(Main.handle(refused, new PrintWriter(err))).isEqualTo(ExitCodes.LOCKED);
            assertThat(err.toString()).startsWith("runbook: run " + dir.id() + " is in use by another process: pid "
                    + lock.holder().pid() + " on host ").doesNotContain("Exception");
        }
        StringWriter err = new StringWriter();
        RuntimeException bad = org.assertj.core.api.Assertions.catchRuntimeException(
                () -> dev.runbook.journal.Journal.read(tmp.resolve("missing.jsonl")));
        assertThat(Main.handle(bad, new PrintWriter(err))).isEqualTo(ExitCodes.INVALID);
        assertThat(err.toString()).isEqualTo("runbook: the journal " + tmp.resolve("missing.jsonl") + " does not exist\n");
    }
}
