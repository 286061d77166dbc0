package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.StepState;
import dev.runbook.journal.JournalRecord;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import dev.runbook.sandbox.SandboxFixture.Child;
import dev.runbook.sandbox.SandboxFixture.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --sandbox DIR} end to end on the sandbox-run fixture: a stub changes the cluster with
 * the real kubectl, a controller finishes a Job, a pod answers an exec from sandbox.yaml.
 */
@Timeout(120)
class SandboxRunTest {
    @TempDir
    Path dir;

    Path sandbox;

    @BeforeEach
    void copyFixture() throws Exception {
        SandboxFixture.assumeKubectl();
        sandbox = SandboxFixture.copy(dir);
    }

    Path state() {
        return dir.resolve("state");
    }

    Path gate() {
        return dir.resolve("gate");
    }

    String[] run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("run", sandbox.resolve("runbook.yaml").toString(),
                "--sandbox", sandbox.toString(), "--set", "gate=" + gate(), "--state-dir", state().toString(), "--no-color"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    RunDir theRun() {
        List<RunDir> runs = RunStore.at(state()).list();
        assertThat(runs).hasSize(1);
        return runs.get(0);
    }

    @Test
    void aRunActsOnItsCopyOfTheWorldAndRecordsEachStepsWrites() throws Exception {
        Files.writeString(gate(), "");
        String before = SandboxFixture.digest(sandbox);

        Result r = SandboxFixture.cli(run());

        assertThat(r.code()).as(r.all()).isZero();
        assertThat(SandboxFixture.digest(sandbox)).as("DIR is never changed").isEqualTo(before);
        RunDir run = theRun();
        RunState state = run.state();
        assertThat(state.steps().get("version-before").outputs()).containsEntry("version", "1")
                .as("env.KUBECONFIG reads the sandbox's").containsEntry("kubeconfig",
                        run.dir().toAbsolutePath().resolve(Sandbox.KUBECONFIG).toString());
        assertThat(state.steps().get("version-in-pod").outputs()).containsEntry("version", "2\n");
        assertThat(state.writesOf("deploy")).extracting(JournalRecord.SandboxWrite::text)
                .containsExactly("patch configmaps shop/release", "create configmaps shop/migration-request");
        assertThat(state.writes()).extracting(JournalRecord.SandboxWrite::text)
                .contains("patch jobs.batch/status shop/migrate");
        assertThat(state.writesOf("version-before")).isEmpty();

        String report = Files.readString(run.report());
        assertThat(report).contains("## Writes")
                .contains("| `deploy` | patch | `configmaps` | `shop` | `release` |")
                .contains("| `deploy` | create | `configmaps` | `shop` | `migration-request` |");
        Result status = SandboxFixture.cli("status", "--state-dir", state().toString());
        assertThat(status.out()).contains("wrote: patch configmaps shop/release")
                .contains("wrote: create configmaps shop/migration-request");
        Result json = SandboxFixture.cli("status", "--format", "json", "--state-dir", state().toString());
        assertThat(json.out()).contains("\"writes\"").contains("\"migration-request\"");

        // The run's world holds what the run did; the controller's output is kept beside it.
        assertThat(Files.readString(run.dir().resolve("world/.state/cluster.json"))).contains("migration-request");
        assertThat(Files.readString(run.dir().resolve(Sandbox.CONTROLLERS_LOG))).contains("migrate job succeeded");
    }

    @Test
    void aKilledSandboxRunResumesAgainstTheWorldItLeft() throws Exception {
        try (Child killed = new Child(dir, "killed", run())) {
            assertThat(SandboxFixture.waitFor(dir.resolve("gate.reached"), 60))
                    .as("the gate step started; printed %s%s", killed.out(), killed.err()).isTrue();
            killed.process.destroyForcibly();
            killed.process.waitFor();
        }
        RunDir run = theRun();
        assertThat(run.state().steps().get("gate").state()).isEqualTo(StepState.INTERRUPTED);
        assertThat(run.state().writesOf("deploy")).hasSize(2);

        Result other = SandboxFixture.cli("resume", "--sandbox", dir.toString(), "--state-dir", state().toString());
        assertThat(other.code()).as(other.all()).isEqualTo(2);
        assertThat(other.err()).contains("was started with --sandbox " + sandbox);

        Files.writeString(gate(), "");
        // Given again with the same DIR: accepted. The gate is a read, so it simply runs again.
        Result resumed = SandboxFixture.cli("resume", "--sandbox", sandbox.toString(), "--state-dir", state().toString(),
                "--no-color");
        assertThat(resumed.code()).as(resumed.all()).isZero();
        RunState state = run.state();
        // deploy was not run again: it would have failed creating migration-request a second time.
        assertThat(state.writes()).extracting(JournalRecord.SandboxWrite::text)
                .containsOnlyOnce("create configmaps shop/migration-request");
        assertThat(state.steps().get("version-in-pod").outputs()).containsEntry("version", "2\n");
    }

    @Test
    void aBadSandboxYamlStopsTheRunWithItsPositions() throws Exception {
        Files.writeString(sandbox.resolve("sandbox.yaml"), """
                namespace: shop
                exec:
                  - pod: "web-*"
                    match: "cat (unclosed"
                    stdot: "2"
                """);
        Result r = SandboxFixture.cli(run());
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        String file = sandbox.resolve("sandbox.yaml").toAbsolutePath().normalize().toString();
        assertThat(r.err()).contains(file + ":4:12: error: match is not a valid regular expression")
                .contains(file + ":5:5: error: unknown key 'stdot' in an exec rule");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aRunRefusedBeforeItBeganLeavesNoWorldBehind() throws Exception {
        Result r = SandboxFixture.cli(run("--from", "no-such-step"));
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(RunStore.at(state()).list()).isEmpty();
    }

    @Test
    void aFolderThatIsNoSandboxIsRefused() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Result r = SandboxFixture.cli("run", sandbox.resolve("runbook.yaml").toString(), "--sandbox", empty.toString(),
                "--set", "gate=x", "--state-dir", state().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not a sandbox: it has none of cluster/, hosts/, bin/ or sandbox.yaml");
        Result plan = SandboxFixture.cli("plan", sandbox.resolve("runbook.yaml").toString(), "--sandbox", empty.toString(),
                "--set", "gate=x");
        assertThat(plan.code()).isEqualTo(2);
        Result planOk = SandboxFixture.cli("plan", sandbox.resolve("runbook.yaml").toString(), "--sandbox",
                sandbox.toString(), "--set", "gate=x");
        assertThat(planOk.code()).as(planOk.all()).isZero();
    }
}
