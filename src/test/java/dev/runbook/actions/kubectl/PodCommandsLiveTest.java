package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command in a pod ({@code kubectl exec}, {@code shell on: {pod}}) shows its output as it comes,
 * and its step's timeout or Ctrl-C ends it promptly, as a local command's would. The sandbox's
 * answer prints at once and then runs for five minutes ({@code delay}).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class PodCommandsLiveTest {
    @TempDir
    Path dir;
    private Path world;

    @BeforeEach
    void world() throws IOException {
        world = dir.resolve("world");
        Files.createDirectories(world.resolve("cluster"));
        Files.writeString(world.resolve("cluster/pods.yaml"), """
                apiVersion: v1
                kind: Pod
                metadata: {name: db-0}
                spec: {containers: [{name: db, image: "db:1"}]}
                status: {phase: Running}
                """);
        Files.writeString(world.resolve("sandbox.yaml"), """
                namespace: shop
                exec:
                  - pod: db-0
                    match: restore
                    stdout: "restore started\\n"
                    stderr: "copying tables\\n"
                    delay: 5m
                """);
    }

    private Path runbook(String name, String steps) throws IOException {
        Path p = dir.resolve(name + ".yaml");
        Files.writeString(p, """
                apiVersion: runbook/v1
                name: %s
                targets:
                  cluster: {kubernetes: {}}
                steps:
                %s""".formatted(name, steps.indent(2)));
        return p;
    }

    @Test
    void aStepTimeoutClosesTheExecAndKeepsTheOutputThatCame() throws IOException {
        Path rb = runbook("timeouts", """
                - id: exec-restore
                  timeout: 2s
                  kubectl: {exec: {pod: db-0, command: [restore, --all]}}
                  onFailure: continue
                - id: shell-restore
                  timeout: 2s
                  shell: {command: [restore, --all], on: {pod: db-0}}
                """);
        Cli.Result r = Cli.run("run", rb.toString(), "--sandbox", world.toString(), "--state-dir", dir.resolve("state").toString());
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("restore started", "copying tables")
                .contains("command in pod db-0 timed out after 2s; the exec was closed")
                .contains("'restore' in pod db-0 timed out after 2s; the exec was closed");
    }

    @Test
    void ctrlCWhileTheCommandRunsEndsTheRunAsInterrupted() throws Exception {
        Path rb = runbook("interrupted", """
                - id: restore
                  kubectl: {exec: {pod: db-0, command: [restore, --all]}}
                - id: after
                  shell: {command: [touch, "%s"]}
                """.formatted(dir.resolve("after")));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "dev.runbook.cli.Main", "run", rb.toString(), "--sandbox", world.toString(),
                "--state-dir", dir.resolve("state").toString(), "--no-color"));
        Path out = dir.resolve("stdout.txt");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            // The line is on the console while the command still runs: it is shown as it comes.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(out).contains("restore started") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(out)).as("output before the command ended").contains("restore started");
            assertThat(p.isAlive()).isTrue();
            // SIGINT is what Ctrl-C sends to the foreground process
            assertThat(new ProcessBuilder("kill", "-s", "INT", String.valueOf(p.pid())).start().waitFor()).isZero();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the run ended after Ctrl-C, not when the command would have").isTrue();
            String printed = Files.readString(out) + Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).as(printed).isEqualTo(130);
            assertThat(printed).containsPattern("INTERRUPTED +restore").contains("Result: INTERRUPTED (exit 130)");
            assertThat(dir.resolve("after")).doesNotExist();
        } finally {
            p.destroyForcibly();
        }
    }
}
