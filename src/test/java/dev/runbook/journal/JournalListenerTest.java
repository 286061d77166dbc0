package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.Answer;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.StepState;
import dev.runbook.lang.model.Runbook;
import dev.runbook.secrets.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal of runs played through {@link JournalListener} the way the engine calls it. */
class JournalListenerTest {
    static final Instant T0 = Instant.parse("2026-11-23T03:15:00Z");

    @TempDir
    Path tmp;

    RunStore store() {
        return RunStore.at(tmp.resolve("state"));
    }

    /** A run that stops (like a kill -9) while "restore" runs. */
    RunDir crashedRun(Redactor redactor) {
        Runbook rb = Fixtures.runbook();
        RunDir dir = store().create(rb.name(), T0);
        JournalListener l = JournalListener.newRun(dir, rb, null, redactor);
        Map<String, Object> params = new LinkedHashMap<>(Fixtures.params());
        params.put("password", Fixtures.SECRET); // a careless caller: the listener drops it
        l.runStarted(new dev.runbook.engine.RunInfo(dir.id(), rb.name(), "runbooks/demo.yaml", false, params, "alice",
                "host-a", 4242, T0));
        Fixtures.Player p = new Fixtures.Player(l, rb, T0);
        p.finish("traffic-stopped", StepState.SUCCEEDED, Map.of("value", true), null,
                new Answer("yes", "alice", T0.plusMillis(500), "terminal"), null);
        p.finish("token", StepState.SUCCEEDED, Map.of("value", Fixtures.SECRET), null,
                new Answer(Fixtures.SECRET, "alice", T0.plusSeconds(1), "terminal"), null);
        p.ok("pods", Map.of("names", List.of("cassandra-0", "cassandra-1")));
        p.ok("creds", Map.of("key", "a-sensitive-key-value"));
        p.start("section");
        p.start("restore");
        return dir;
    }

    @Test
    void aRunDirectoryHoldsTheJournalTheRunbookAndTheNonSecretParams() throws IOException {
        RunDir dir = crashedRun(new Redactor());
        assertThat(dir.runbookCopy()).hasContent(Fixtures.RUNBOOK);
        String params = Files.readString(dir.params());
        assertThat(params).contains("namespace: apic").contains("backupId: '123'").doesNotContain("password")
                .doesNotContain(Fixtures.SECRET);
        Map<String, Object> back = org.snakeyaml.engine.v2.api.Load.class.cast(
                new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build()))
                .loadFromString(params) instanceof Map<?, ?> m ? castMap(m) : null;
        assertThat(back).isEqualTo(Fixtures.params());
        assertThat(dir.journal()).exists();
        assertThat(dir.report()).doesNotExist();
    }

    @Test
    void aStepStartedAndNeverFinishedIsInterruptedAndTheRunToo() {
        RunDir dir = crashedRun(new Redactor());
        RunState s = RunState.of(dir.readJournal(), false);
        assertThat(s.status()).isEqualTo(RunState.Status.INTERRUPTED);
        assertThat(s.currentStep()).isEqualTo("restore");
        assertThat(s.steps().get("restore").state()).isEqualTo(StepState.INTERRUPTED);
        assertThat(s.steps().get("section").state()).isEqualTo(StepState.INTERRUPTED);
        assertThat(s.steps().get("pods").outputs()).isEqualTo(Map.of("names", List.of("cassandra-0", "cassandra-1")));
        assertThat(s.steps().get("traffic-stopped").answer()).isEqualTo(new Answer("yes", "alice", T0.plusMillis(500), "terminal"));
        assertThat(s.rows()).extracting(RunState.StepRecord::id)
                .containsExactly("traffic-stopped", "token", "pods", "creds", "section", "restore", "verify");
        assertThat(s.rows().get(6).state()).isEqualTo(StepState.PENDING);
        assertThat(s.params()).isEqualTo(Fixtures.params());
        assertThat(s.exitCode()).isNull();
        // While a process holds the run, the same journal reads as running.
        RunState live = RunState.of(dir.readJournal(), true);
        assertThat(live.status()).isEqualTo(RunState.Status.RUNNING);
        assertThat(live.steps().get("restore").state()).isEqualTo(StepState.RUNNING);
        assertThat(live.currentStep()).isEqualTo("restore");
    }

    @Test
    void sensitiveOutputsSecretParamsAndSecretAnswersNeverReachTheDisk() throws IOException {
        Redactor r = new Redactor();
        r.add(Fixtures.SECRET);
        RunDir dir = crashedRun(r);
        String b64 = Base64.getEncoder().encodeToString(Fixtures.SECRET.getBytes(StandardCharsets.UTF_8));
        for (Path f : List.of(dir.journal(), dir.params(), dir.runbookCopy())) {
            assertThat(Files.readString(f)).doesNotContain(Fixtures.SECRET).doesNotContain(b64);
        }
        String journal = Files.readString(dir.journal());
        assertThat(journal).doesNotContain("a-sensitive-key-value");
        RunState s = RunState.of(dir.readJournal(), false);
        assertThat(s.steps().get("creds").sensitive()).isTrue();
        assertThat(s.steps().get("creds").outputs()).isEmpty();
        assertThat(s.steps().get("token").answer().value()).isEqualTo("***");
    }

    @Test
    void aSecretPromptsAnswerIsMaskedEvenWithoutARedactor() throws IOException {
        RunDir dir = crashedRun(null);
        RunState s = RunState.of(dir.readJournal(), false);
        assertThat(s.steps().get("token").answer().value()).isEqualTo("***");
        assertThat(s.steps().get("token").outputs()).as("a secret prompt's outputs hold its answer").isEmpty();
        assertThat(s.steps().get("token").sensitive()).isTrue();
        assertThat(Files.readString(dir.journal())).doesNotContain(Fixtures.SECRET);
    }

    @Test
    void aFinishedRunHasItsStateExitCodeAndAReport() throws IOException {
        Runbook rb = Fixtures.runbook();
        RunDir dir = store().create(rb.name(), T0);
        JournalListener l = JournalListener.newRun(dir, rb, null, new Redactor());
        var info = Fixtures.info(dir.id(), false, T0);
        l.runStarted(info);
        Fixtures.Player p = new Fixtures.Player(l, rb, T0);
        p.ok("traffic-stopped", Map.of());
        p.listener.stepStarted(p.step("pods"), 1);
        p.listener.stepStarted(p.step("pods"), 2);
        p.listener.stepFinished(p.step("pods"), Fixtures.result("pods", StepState.FAILED, Map.of(), T0, T0.plusSeconds(75),
                "the API server did not answer: connection refused", null, null, 2));
        p.ok("diagnostics", Map.of("clusters", 1L));
        l.runFinished(info, new RunOutcome("failed", 1, "step pods failed"));
        RunState s = dir.state();
        assertThat(s.status()).isEqualTo(RunState.Status.FAILED);
        assertThat(s.exitCode()).isEqualTo(1);
        assertThat(s.currentStep()).isEqualTo("pods");
        assertThat(s.steps().get("pods").attempts()).isEqualTo(2);
        assertThat(s.steps().get("pods").durationMillis()).isEqualTo(75_000);
        assertThat(s.rows()).extracting(RunState.StepRecord::id).contains("diagnostics");
        assertThat(dir.report()).exists();
        assertThat(Files.readString(dir.report())).contains("**failed** (exit 1) at step `pods`")
                .contains("connection refused");
        assertThatThrownBy(() -> l.stepStarted(p.step("pods"), 3)).isInstanceOf(JournalException.class);
    }

    @Test
    void aResumeContinuesTheJournalAndSaysWhichStepsChanged() throws IOException {
        RunDir dir = crashedRun(new Redactor());
        String edited = Fixtures.RUNBOOK.replace("restore, \"${{ params.backupId }}\"]", "restore, \"${{ params.backupId }}\", --force]");
        Runbook rb2 = Fixtures.runbook(edited);
        JournalListener l = JournalListener.resume(dir, rb2, "restore", new Redactor());
        assertThat(l.changes().changed()).containsExactly("restore");
        assertThat(l.contextChanged()).isFalse();
        Instant t1 = T0.plusSeconds(3600);
        var info = new dev.runbook.engine.RunInfo(dir.id(), rb2.name(), "runbooks/demo.yaml", false, Fixtures.params(),
                "bob", "host-b", 77, t1);
        l.runStarted(info);
        Fixtures.Player p = new Fixtures.Player(l, rb2, t1);
        p.start("section");
        p.ok("restore", Map.of());
        p.ok("verify", Map.of());
        p.listener.stepFinished(p.step("section"), Fixtures.result("section", StepState.SUCCEEDED, Map.of(), t1, p.clock,
                null, null, null, 1));
        l.runFinished(info, new RunOutcome("succeeded", 0, null));

        RunState s = dir.state();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.currentStep()).isNull();
        assertThat(s.resumes()).singleElement().satisfies(r -> {
            assertThat(r.by()).isEqualTo("bob");
            assertThat(r.changed()).containsExactly("restore");
            assertThat(r.fromStep()).isEqualTo("restore");
        });
        assertThat(s.steps().get("restore").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(s.steps().get("restore").startedAt()).isEqualTo(t1);
        assertThat(s.steps().get("pods").outputs()).containsKey("names");
        assertThat(s.sha256()).isEqualTo(DefinitionHash.ofText(edited));
        // The edited runbook is the copy now; the text the run began with is kept beside it.
        assertThat(dir.runbookCopy()).hasContent(edited);
        assertThat(dir.dir().resolve("runbook-" + DefinitionHash.ofText(Fixtures.RUNBOOK).substring(0, 12) + ".yaml"))
                .hasContent(Fixtures.RUNBOOK);
        assertThat(Files.readString(dir.report())).contains("changed steps: `restore`");
    }

    @Test
    void aResumeRefusesADamagedJournalBeforeAnythingRuns() throws IOException {
        RunDir dir = crashedRun(new Redactor());
        List<String> lines = Files.readAllLines(dir.journal());
        lines.set(2, lines.get(2).replace("alice", "mallory"));
        Files.write(dir.journal(), lines);
        assertThatThrownBy(() -> JournalListener.resume(dir, Fixtures.runbook(), null, new Redactor()))
                .isInstanceOf(JournalException.class).hasMessageContaining("line 3");
    }

    @Test
    void runFinishedStatesMapFromWordsOrExitCodes() {
        assertThat(RunState.Status.of("aborted", 3)).isEqualTo(RunState.Status.ABORTED);
        assertThat(RunState.Status.of("Succeeded", 0)).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(RunState.Status.of("declined", 3)).isEqualTo(RunState.Status.ABORTED);
        assertThat(RunState.Status.of(null, 130)).isEqualTo(RunState.Status.INTERRUPTED);
        assertThat(RunState.Status.of("weird", 1)).isEqualTo(RunState.Status.FAILED);
    }

    @Test
    void latestIsTheRunThatStartedLastEvenWithinOneSecond() {
        RunStore store = store();
        Runbook rb = Fixtures.runbook();
        RunDir first = null;
        RunDir last = null;
        for (int i = 0; i < 5; i++) {
            RunDir d = store.create(rb.name(), T0);
            JournalListener.newRun(d, rb, null, null).runStarted(Fixtures.info(d.id(), false, T0.plusMillis(i * 10)));
            first = first == null ? d : first;
            last = d;
        }
        assertThat(store.list()).hasSize(5);
        assertThat(store.latest()).contains(last);
        assertThat(store.find(first.id())).isEqualTo(first);
        assertThatThrownBy(() -> store.find("20261123")).isInstanceOf(RunStore.NoSuchRunException.class)
                .hasMessageContaining("matches 5 runs");
        assertThatThrownBy(() -> store.find("20991231")).isInstanceOf(RunStore.NoSuchRunException.class)
                .hasMessageContaining("no run '20991231'");
    }

    @Test
    void theStateDirectoryComesFromTheOptionThenTheEnvironmentThenTheDefault() {
        assertThat(RunStore.locate(Path.of("opt"), Map.of(RunStore.ENV, "env"))).isEqualTo(Path.of("opt"));
        assertThat(RunStore.locate(null, Map.of(RunStore.ENV, "env"))).isEqualTo(Path.of("env"));
        assertThat(RunStore.locate(null, Map.of(RunStore.ENV, " "))).isEqualTo(Path.of(".runbook"));
        assertThat(RunStore.locate(null, Map.of())).isEqualTo(Path.of(".runbook"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
