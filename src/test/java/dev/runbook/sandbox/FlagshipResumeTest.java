package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.StepState;
import dev.runbook.journal.JournalRecord;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The night of the restore, rehearsed: the healthy flagship restore is killed with kill -9
 * while it waits for ClusterRestoreStatus, resumed, and finishes without running the restore
 * a second time (SPEC section 7 in the sandbox of section 6.1).
 */
class FlagshipResumeTest {
    private static final Path RUNBOOK = Path.of("runbooks/restore-k8s.yaml").toAbsolutePath();
    private static final Path HEALTHY = Path.of("tests-fixtures/sandboxes/restore-k8s/healthy").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aRestoreKilledWhileItWaitsResumesAndNeverRestoresTwice() throws Exception {
        SandboxFixture.assumeKubectl();
        // The working directory holds the apicup project, as the scenario's workdir says.
        try (Stream<Path> all = Files.walk(HEALTHY.resolve("project"))) {
            for (Path p : all.toList()) {
                Path target = dir.resolve(HEALTHY.resolve("project").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Path params = dir.resolve("params.yaml");
        Files.writeString(params, """
                namespace: apiconnect
                mgmtSubsys: mgmt
                backupId: "1583268283534609276"
                projectDir: myProject
                cassandraSelector: app=apiconnect-cc
                backupHost: backups.example.com
                backupUser: apicbackup
                backupPath: /backups/apiconnect/mgmt
                restoreTimeout: 2m
                pollInterval: 500ms
                """);
        Path state = dir.resolve("state");
        try (SandboxFixture.Child run = new SandboxFixture.Child(dir, "killed", "run", RUNBOOK.toString(),
                "--params", params.toString(), "--set", "sftpPassword=rehearsal-only", "--yes", "--no-color",
                "--sandbox", HEALTHY.toString(), "--state-dir", state.toString())) {
            assertThat(run.awaitOutput("restore-complete", 240))
                    .as("the run reached the wait for ClusterRestoreStatus; printed %s%s", run.out(), run.err()).isTrue();
            run.process.destroyForcibly();
            run.process.waitFor();
        }
        List<RunDir> runs = RunStore.at(state).list();
        assertThat(runs).hasSize(1);
        RunDir killed = runs.get(0);
        assertThat(killed.state().steps().get("restore").state()).isEqualTo(StepState.SUCCEEDED);
        // The killed run's simulated operator goes with it: nobody is left to stop it later.
        String controllers = killed.journal().getParent().resolve("world/controllers/").toString();
        long until = System.nanoTime() + 20_000_000_000L;
        while (!dev.runbook.testing.LiveProcesses.withMarker(controllers).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(dev.runbook.testing.LiveProcesses.withMarker(controllers)).as("controllers of the killed run").isEmpty();

        try (SandboxFixture.Child resume = new SandboxFixture.Child(dir, "resumed", "resume", "--state-dir",
                state.toString(), "--set", "sftpPassword=rehearsal-only", "--yes", "--no-color")) {
            assertThat(resume.await(300)).as("%s%s", resume.out(), resume.err()).isZero();
        }
        RunState after = killed.state();
        assertThat(after.steps().get("restore-complete").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(after.steps().get("restore-portal-now").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(after.writes()).extracting(JournalRecord.SandboxWrite::text)
                .as("the restore created its Job once, before the kill, and the resume did not run it again")
                .filteredOn(w -> w.startsWith("create jobs")).hasSize(1);
    }
}
