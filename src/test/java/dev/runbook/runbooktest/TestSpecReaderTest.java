package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.lang.Diagnostic;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSpecReaderTest {
    @TempDir
    Path dir;

    private Path sandbox(String name, String yaml) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("sandbox.yaml"), yaml);
        return folder;
    }

    @Test
    void readsEveryKeyOfATest() throws IOException {
        Path folder = sandbox("t", """
                namespace: apps
                test:
                  runbook: ../rb.yaml
                  params: {namespace: apps, count: 3}
                  set: {password: example}
                  answers: {go: "yes"}
                  yes: true
                  dryRun: true
                  workdir: project
                  expect:
                    exit: 1
                    failedStep: check
                    message: "not two"
                    states: {check: failed, later: pending}
                    cluster:
                      - {kind: Job, name: "restore-*", absent: true}
                      - {kind: Pod, name: p, namespace: apps, path: status.phase, equals: Running}
                    files:
                      - {path: out/a.yaml, mode: "0600", contains: "kind: Secret", lacks: [selfLink, uid]}
                    writes: 0
                """);
        TestSpec spec = TestSpecReader.read("t", folder);
        assertThat(spec.runbook()).isEqualTo(dir.resolve("rb.yaml"));
        assertThat(spec.params()).containsEntry("namespace", "apps").containsEntry("count", 3L);
        assertThat(spec.set()).containsEntry("password", "example");
        assertThat(spec.answers()).containsEntry("go", "yes");
        assertThat(spec.yes()).isTrue();
        assertThat(spec.dryRun()).isTrue();
        assertThat(spec.workdir()).isEqualTo(folder.resolve("project"));
        TestSpec.Expect e = spec.expect();
        assertThat(e.exit()).isEqualTo(1);
        assertThat(e.failedStep()).isEqualTo("check");
        assertThat(e.states()).containsEntry("check", "failed").containsEntry("later", "pending");
        assertThat(e.cluster()).containsExactly(
                new TestSpec.ClusterExpect("Job", "restore-*", null, null, null, true),
                new TestSpec.ClusterExpect("Pod", "p", "apps", "status.phase", "Running", false));
        assertThat(e.files()).containsExactly(new TestSpec.FileExpect("out/a.yaml", false, "0600",
                List.of("kind: Secret"), List.of("selfLink", "uid")));
        assertThat(e.writes()).isZero();
    }

    @Test
    void everyBadKeyIsReportedAtItsLineAndColumnAllAtOnce() throws IOException {
        Path folder = sandbox("bad", """
                test:
                  runbook: rb.yaml
                  yes: "sure"
                  expect:
                    exitt: 1
                    states: {restore: finished}
                    cluster:
                      - {kind: Job, nam: x}
                    files:
                      - {path: a, mode: rw-------}
                    writes: many
                """);
        assertThatThrownBy(() -> TestSpecReader.read("bad", folder))
                .isInstanceOf(RunbookTestException.class)
                .satisfies(ex -> {
                    List<String> lines = ((RunbookTestException) ex).diagnostics().stream().map(Diagnostic::format).toList();
                    String file = folder.resolve("sandbox.yaml").toString();
                    assertThat(lines).contains(
                            file + ":3:8: error: yes: must be true or false, not 'sure'",
                            file + ":5:5: error: unknown key 'exitt' in expect (known: cluster, exit, failedStep, files, message, states, writes)",
                            file + ":11:13: error: writes: must be a whole number of 0 or more, not 'many'");
                    assertThat(lines).anyMatch(l -> l.startsWith(file + ":6:23: error: states: 'restore' must be a step state"));
                    assertThat(lines).anyMatch(l -> l.startsWith(file + ":8:21: error: unknown key 'nam' in a cluster expectation"));
                    assertThat(lines).anyMatch(l -> l.startsWith(file + ":8:9: error: a cluster expectation needs 'name'"));
                    assertThat(lines).anyMatch(l -> l.startsWith(file + ":10:25: error: mode: 'rw-------' is not an octal file mode"));
                });
    }

    @Test
    void aTestWithoutRunbookAndBadYamlAreErrorsWithPositions() throws IOException {
        Path noRunbook = sandbox("none", "test:\n  expect: {exit: 0}\n");
        assertThatThrownBy(() -> TestSpecReader.read("none", noRunbook))
                .hasMessage(noRunbook.resolve("sandbox.yaml") + ":2:3: error: test: needs 'runbook': the runbook file, relative to this folder");
        Path broken = sandbox("broken", "test:\n  runbook: [a\n");
        assertThatThrownBy(() -> TestSpecReader.read("broken", broken))
                .isInstanceOf(RunbookTestException.class)
                .hasMessageStartingWith(broken.resolve("sandbox.yaml") + ":");
    }

    @Test
    void discoveryFindsTestFoldersButNotPlainSandboxes() throws IOException {
        Path a = sandbox("suite/a", "test: {runbook: rb.yaml}\n");
        Path b = sandbox("suite/deeper/b", "test: {runbook: rb.yaml}\n");
        sandbox("suite/plain", "namespace: x\n");
        sandbox("suite/a/hosts/inner", "test: {runbook: rb.yaml}\n"); // inside a test: its world, not a test
        assertThat(Discovery.find(List.of(dir.resolve("suite")))).containsExactly(a, b);
        assertThat(Discovery.find(List.of(a))).containsExactly(a);
        assertThatThrownBy(() -> Discovery.find(List.of(dir.resolve("suite/plain"))))
                .isInstanceOf(RunbookTestException.class)
                .hasMessageContaining("no runbook test found under " + dir.resolve("suite/plain"));
        assertThatThrownBy(() -> Discovery.find(List.of(dir.resolve("missing"))))
                .hasMessage("runbook: " + dir.resolve("missing") + ": no such file or directory");
    }
}
