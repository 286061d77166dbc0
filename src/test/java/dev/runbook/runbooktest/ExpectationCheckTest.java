package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expectations checked against a real run: a tiny local runbook run by the CLI in a temporary
 * state directory, with the world files a sandbox run leaves written beside it by the test.
 */
class ExpectationCheckTest {
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: tiny
            params:
              out: {}
            steps:
              - id: write-kit
                file: {write: "${{ params.out }}/kit/key.yaml", content: "kind: Secret\\nname: enc\\n", mode: "0600"}
              - id: check
                assert: {that: "1 == 2", message: "one is not two"}
              - id: later
                shell: {command: [echo, later]}
            """;

    @TempDir
    Path dir;
    Path work;
    RunFacts facts;

    @BeforeEach
    void runIt() throws IOException {
        work = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(work.resolve("kit"));
        Path rb = Files.writeString(dir.resolve("tiny.yaml"), RUNBOOK);
        Path state = dir.resolve("state");
        StringWriter out = new StringWriter();
        int code = Main.execute(new String[] {"run", rb.toString(), "--state-dir", state.toString(), "--set", "out=" + work},
                new PrintWriter(out), new PrintWriter(out));
        assertThat(code).as(out.toString()).isEqualTo(1);
        facts = RunFacts.read(code, state, work);
        Path stateFiles = Files.createDirectories(facts.runDir().resolve("world/.state"));
        Files.writeString(stateFiles.resolve("cluster.json"), """
                {"resourceVersion":12,"objects":[
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"restore-plnfs","namespace":"apiconnect"},"status":{"succeeded":1}},
                {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"restore-x7k2q","namespace":"apiconnect"},"status":{"succeeded":0}},
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"cc-0","namespace":"apiconnect"},"status":{"phase":"Running","ready":true}}
                ]}
                """);
        Files.writeString(stateFiles.resolve("writes.jsonl"), """
                {"verb":"create","resource":"jobs","namespace":"apiconnect","name":"restore-x7k2q"}
                {"verb":"patch","resource":"jobs","subresource":"status","namespace":"apiconnect","name":"restore-x7k2q"}
                """);
    }

    private static TestSpec.Expect expect(Integer exit, String failedStep, String message, Map<String, String> states,
                                          List<TestSpec.ClusterExpect> cluster, List<TestSpec.FileExpect> files, Integer writes) {
        return new TestSpec.Expect(exit, failedStep, message, states, cluster, files, writes);
    }

    @Test
    void aRightExpectationHasNoDifference() {
        var e = expect(1, "check", "one is not two", Map.of("write-kit", "succeeded", "check", "failed", "later", "pending"),
                List.of(new TestSpec.ClusterExpect("Job", "restore-plnfs", "apiconnect", "status.succeeded", 1L, false),
                        new TestSpec.ClusterExpect("pod", "cc-*", null, "status.ready", true, false),
                        new TestSpec.ClusterExpect("Pod", "cc-0", null, "status.phase", "Running", false),
                        new TestSpec.ClusterExpect("Job", "backup-*", null, null, null, true)),
                List.of(new TestSpec.FileExpect("kit/key.yaml", false, "0600", List.of("kind: Secret"), List.of("selfLink")),
                        new TestSpec.FileExpect("restore.log", true, null, List.of(), List.of())),
                2);
        assertThat(ExpectationCheck.differences(e, facts)).isEmpty();
    }

    @Test
    void aWrongExpectationSaysWhatDifferedOneLineEach() throws IOException {
        Files.setPosixFilePermissions(work.resolve("kit/key.yaml"), PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> states = new java.util.LinkedHashMap<>(); // file order, as the spec reader keeps it
        states.put("later", "succeeded");
        states.put("chekc", "failed");
        var e = expect(0, "later", "timed out", states,
                List.of(new TestSpec.ClusterExpect("Job", "restore-*", null, "status.succeeded", 1L, false),
                        new TestSpec.ClusterExpect("Pod", "cc-0", null, null, null, true),
                        new TestSpec.ClusterExpect("Secret", "enc", null, null, null, false),
                        new TestSpec.ClusterExpect("Pod", "cc-0", null, "status.nodeName", "n1", false)),
                List.of(new TestSpec.FileExpect("kit/key.yaml", false, "0600", List.of("ownerReferences"), List.of("kind: Secret")),
                        new TestSpec.FileExpect("kit", true, null, List.of(), List.of()),
                        new TestSpec.FileExpect("missing.txt", false, null, List.of("x"), List.of())),
                0);
        assertThat(ExpectationCheck.differences(e, facts)).containsExactly(
                "exit: expected 0, got 1",
                "failedStep: expected later, got check",
                "message: expected it to contain \"timed out\", got \"step 'check' failed: one is not two ...\"",
                "states.later: expected succeeded, got pending",
                "states.chekc: the runbook has no step 'chekc'",
                "cluster Job restore-* (restore-x7k2q): status.succeeded expected 1, got 0",
                "cluster Pod cc-0: expected absent, got cc-0",
                "cluster Secret enc: expected such an object, got none",
                "cluster Pod cc-0: status.nodeName expected n1, got nothing there",
                "files.kit/key.yaml: expected mode 0600, got 0644",
                "files.kit/key.yaml: expected it to contain \"ownerReferences\", got a file without it",
                "files.kit/key.yaml: expected it to lack \"kind: Secret\", got a file with it",
                "files.kit: expected absent, got a folder",
                "files.missing.txt: expected the file, got none",
                "writes: expected 0, got 2");
    }

    @Test
    void scalarsCompareAsNumbersOrText() {
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        assertThat(ClusterCheck.sameValue(1L, json.readTree("1.0"))).isTrue();
        assertThat(ClusterCheck.sameValue("1", json.readTree("1"))).isTrue();
        assertThat(ClusterCheck.sameValue(2L, json.readTree("\"2\""))).isTrue();
        assertThat(ClusterCheck.sameValue(true, json.readTree("true"))).isTrue();
        assertThat(ClusterCheck.sameValue("completed", json.readTree("\"Completed\""))).isFalse();
        assertThat(ClusterCheck.sameValue(1L, json.readTree("{\"a\":1}"))).isFalse();
    }

    @Test
    void aRunThatRecordedNothingIsOneDifferenceNotOnePerStep() {
        RunFacts none = RunFacts.read(2, dir.resolve("no-state"), work);
        var e = expect(0, "check", null, Map.of("a", "succeeded", "b", "succeeded"), List.of(
                new TestSpec.ClusterExpect("Job", "x", null, null, null, false)), List.of(), 0);
        assertThat(ExpectationCheck.differences(e, none)).containsExactly(
                "exit: expected 0, got 2",
                "failedStep/message/states: not checked: the run recorded nothing (it stopped before it began)",
                "cluster: the run left no simulated cluster to check (no world/.state/cluster.json in its run directory)");
    }
}
