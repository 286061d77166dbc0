package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run of a test as a child process of this same CLI: working directory, no stdin, time limit. */
class ChildRunTest {
    @TempDir
    Path dir;

    @Test
    void runsTheCliInItsWorkingDirectoryWithoutStdinAndKeepsItsConsole() throws IOException {
        Path rb = Files.writeString(dir.resolve("rb.yaml"), """
                apiVersion: runbook/v1
                name: child
                steps:
                  - id: where
                    shell: {command: [pwd]}
                  - id: ask
                    prompt: {message: "Go on?"}
                """);
        Path work = Files.createDirectories(dir.resolve("work"));
        Path state = dir.resolve("state");
        ChildRun.Result r = ChildRun.run(List.of("run", rb.toString(), "--state-dir", state.toString()), work, Map.of(),
                Duration.ofMinutes(2));
        // No terminal and no answer: the prompt fails at once instead of waiting on stdin.
        assertThat(r.exitCode()).as(String.join("\n", r.console())).isEqualTo(3);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.console()).contains("          | " + work.toRealPath());
        assertThat(String.join("\n", r.console())).contains("--answer");
        RunFacts facts = RunFacts.read(r.exitCode(), state, work);
        assertThat(facts.failedStep()).map(s -> s.id()).contains("ask");
    }

    @Test
    void aRunPastItsTimeLimitIsStoppedWithEverythingItStarted() throws IOException {
        Path rb = Files.writeString(dir.resolve("slow.yaml"), """
                apiVersion: runbook/v1
                name: slow
                steps:
                  - id: hang
                    shell: {script: "sleep 317"}
                """);
        Path work = Files.createDirectories(dir.resolve("work"));
        long start = System.nanoTime();
        ChildRun.Result r = ChildRun.run(List.of("run", rb.toString(), "--state-dir", dir.resolve("state").toString()),
                work, Map.of(), Duration.ofSeconds(4));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.console().get(r.console().size() - 1)).isEqualTo("runbook test: the run did not end within 4s: it was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 317")).toList())
                .isEmpty();
    }

    @Test
    void childrenUseTheClassCacheTheLauncherGaveThisJvmAndNothingOfTheProgramsArguments() {
        String[] launcher = {"-XX:+UseSerialGC", "-Xlog:disable", "-Xlog:all=error:stderr",
                "-XX:AOTCache=/opt/rb/target/runbook-sandbox.aot", "-jar", "/opt/rb/target/runbook.jar",
                "test", "-XX:AOTCache=not-a-jvm-flag-here"};
        assertThat(ChildRun.inheritedCacheFlags(launcher)).containsExactly(
                "-Xlog:disable", "-Xlog:all=error:stderr", "-XX:AOTCache=/opt/rb/target/runbook-sandbox.aot");
        assertThat(ChildRun.inheritedCacheFlags(new String[] {"-XX:SharedArchiveFile=/x/runbook-sandbox.jsa", "-cp", "a.jar"}))
                .containsExactly("-XX:SharedArchiveFile=/x/runbook-sandbox.jsa");
        assertThat(ChildRun.inheritedCacheFlags(new String[] {"-cp", "surefire.jar", "org.apache.Main"})).isEmpty();
    }

    @Test
    void aRunbookTestStoppedWithSigtermStopsTheRunsItStarted() throws Exception {
        // The step's bash stays (two commands) and its command line holds the marker.
        String marker = "hang-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path t = Files.createDirectories(dir.resolve("suite/hangs"));
        Files.writeString(dir.resolve("hang.yaml"), """
                apiVersion: runbook/v1
                name: hang
                steps:
                  - id: hang
                    shell: {script: "sleep 300; echo %s"}
                """.formatted(marker));
        Files.writeString(t.resolve("sandbox.yaml"), "test:\n  runbook: ../../hang.yaml\n  expect: {exit: 0}\n");
        Process suite = new ProcessBuilder(ChildRun.command(List.of("test", dir.resolve("suite").toString())))
                .redirectErrorStream(true).redirectOutput(dir.resolve("suite.log").toFile()).start();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (dev.runbook.testing.LiveProcesses.withMarker(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(dev.runbook.testing.LiveProcesses.withMarker(marker))
                    .as("the test's run started its step: %s", Files.readString(dir.resolve("suite.log"))).isNotEmpty();
            suite.destroy(); // SIGTERM to runbook test alone, as a cancelled CI job sends it
            assertThat(suite.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!dev.runbook.testing.LiveProcesses.withMarker(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(dev.runbook.testing.LiveProcesses.withMarker(marker)).as("nothing of the run is left").isEmpty();
        } finally {
            suite.destroyForcibly();
            dev.runbook.testing.LiveProcesses.kill(marker);
        }
    }
}
