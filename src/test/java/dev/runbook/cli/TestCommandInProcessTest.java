package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Cancellation;
import dev.runbook.runbooktest.TestResult;
import dev.runbook.runbooktest.TestSpecReader;
import dev.runbook.runbooktest.TestSuite;
import dev.runbook.testing.LiveProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runbook test} runs its scenarios in its own process, several at once: each in its own
 * working directory, stopped at its time limit with everything it started, and all of them
 * stopped with the suite.
 */
@Timeout(180)
class TestCommandInProcessTest {
    @TempDir
    Path dir;

    @Test
    void twoScenariosAtOnceEachSeeTheirOwnFiles() throws Exception {
        // Both write the same relative name, then wait for each other: they are under way together.
        Files.writeString(dir.resolve("same-name.yaml"), """
                apiVersion: runbook/v1
                name: same-name
                params:
                  who: {type: string}
                  meet: {type: string}
                steps:
                  - id: write
                    file: {write: shared.txt, content: "written by ${{ params.who }}"}
                  - id: arrived
                    file: {write: "${{ params.meet }}/${{ params.who }}", content: "here\\n"}
                  - id: meet
                    shell: {script: "test -e ${{ params.meet }}/a && test -e ${{ params.meet }}/b", allowExitCodes: [1]}
                    until: "${{ result.exitCode == 0 }}"
                    interval: 100ms
                    timeout: 60s
                  - id: read
                    file: {read: shared.txt}
                    capture: {text: "${{ result.content }}"}
                  - id: mine
                    assert: {that: "${{ steps.read.outputs.text == 'written by ' + params.who }}"}
                """);
        Path meet = Files.createDirectories(dir.resolve("meet"));
        for (String who : List.of("a", "b")) {
            Path t = Files.createDirectories(dir.resolve("suite/" + who));
            Files.writeString(t.resolve("sandbox.yaml"), """
                    test:
                      runbook: ../../same-name.yaml
                      params: {who: %s, meet: "%s"}
                      expect:
                        exit: 0
                        files:
                          - {path: shared.txt, contains: "written by %s", lacks: "written by %s"}
                    """.formatted(who, meet, who, who.equals("a") ? "b" : "a"));
        }
        Cli.Result r = Cli.run("test", dir.resolve("suite").toString(), "--jobs", "2");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).endsWith("2 passed, 0 failed\n");
        assertThat(Path.of("shared.txt")).as("nothing in this process's own directory").doesNotExist();
    }

    @Test
    void aScenarioPastItsLimitIsStoppedWithItsSandboxAndLeavesNoProcessBehind() throws Exception {
        String marker = "hang-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Files.writeString(dir.resolve("hang.yaml"), """
                apiVersion: runbook/v1
                name: hang
                steps:
                  - id: hang
                    shell: {script: "sleep 600; echo %s"}
                """.formatted(marker));
        Path t = Files.createDirectories(dir.resolve("suite/hangs"));
        Files.writeString(t.resolve("sandbox.yaml"), "test:\n  runbook: ../../hang.yaml\n  expect: {exit: 0}\n");
        // A controller: a process of the sandbox, which only closing the sandbox ends.
        Path controller = Files.writeString(Files.createDirectories(t.resolve("controllers")).resolve("ctl-" + marker),
                "#!/bin/sh\nwhile true; do sleep 1; done\n");
        Files.setPosixFilePermissions(controller, PosixFilePermissions.fromString("rwxr-xr-x"));

        long start = System.nanoTime();
        List<TestResult> results;
        try {
            results = TestSuite.run(List.of(TestSpecReader.read("hangs", t)), 1, Duration.ofSeconds(4),
                    TestCommand::launch, new Cancellation(), r -> { });
        } finally {
            awaitGone(marker, Duration.ofSeconds(10));
            LiveProcesses.kill(marker);
        }
        TestResult r = results.get(0);
        assertThat(r.passed()).isFalse();
        assertThat(r.differences()).contains("the run did not end within 4s and was stopped");
        // Stopped as Ctrl-C stops a run: its step is recorded interrupted, the run ends with 130.
        assertThat(r.differences()).contains("exit: expected 0, got 130");
        assertThat(r.consoleTail()).last().isEqualTo("runbook test: the run did not end within 4s: it was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(LiveProcesses.withMarker(marker)).as("no step process, no controller left").isEmpty();
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(marker)).toList()).isEmpty();
    }

    @Test
    void aRunbookTestStoppedWithSigtermStopsTheRunsItStarted() throws Exception {
        // The step's bash stays (two commands) and its command line holds the marker.
        String marker = "term-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path t = Files.createDirectories(dir.resolve("suite/hangs"));
        Files.writeString(dir.resolve("hang.yaml"), """
                apiVersion: runbook/v1
                name: hang
                steps:
                  - id: hang
                    shell: {script: "sleep 300; echo %s"}
                """.formatted(marker));
        Files.writeString(t.resolve("sandbox.yaml"), "test:\n  runbook: ../../hang.yaml\n  expect: {exit: 0}\n");
        try (Cli.Child suite = new Cli.Child(dir, "suite", "test", dir.resolve("suite").toString())) {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (LiveProcesses.withMarker(marker).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertThat(LiveProcesses.withMarker(marker)).as("the test's run started its step: %s",
                    Files.readString(suite.out) + Files.readString(suite.err)).isNotEmpty();
            suite.process.destroy(); // SIGTERM to runbook test alone, as a cancelled CI job sends it
            assertThat(suite.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(suite.process.exitValue()).isEqualTo(130);
            awaitGone(marker, Duration.ofSeconds(20));
            assertThat(LiveProcesses.withMarker(marker)).as("nothing of the run is left").isEmpty();
            assertThat(Files.readString(suite.err)).contains("runbook test: SIGTERM received");
            assertThat(Files.readString(suite.out)).contains("FAIL " + t).endsWith("0 passed, 1 failed\n");
        } finally {
            LiveProcesses.kill(marker);
        }
    }

    private static void awaitGone(String marker, Duration wait) throws Exception {
        long until = System.nanoTime() + wait.toNanos();
        while (!LiveProcesses.withMarker(marker).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
        }
    }
}
