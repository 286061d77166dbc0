package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook test} through the real command line. */
class TestCommandTest {
    @TempDir
    Path dir;

    record Out(int code, String out, String err) {
    }

    private static Out cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Out(code, out.toString(), err.toString());
    }

    @Test
    void noTestFoundIsAUsageError() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Out r = cli("test", dir.resolve("empty").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("runbook: no runbook test found under " + dir.resolve("empty")
                + ": a test is a folder whose sandbox.yaml has a test: section\n");
    }

    @Test
    void aBadTestSpecStopsEverythingWithItsPosition() throws IOException {
        Path t = Files.createDirectories(dir.resolve("t"));
        Files.writeString(t.resolve("sandbox.yaml"), "test:\n  runbook: rb.yaml\n  expect: {exit: 0, writez: 1}\n");
        Out r = cli("test", dir.toString(), "--jobs", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith(t.resolve("sandbox.yaml") + ":3:21: error: unknown key 'writez' in expect");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badJobsIsAUsageError() {
        assertThat(cli("test", dir.toString(), "--jobs", "0").code()).isEqualTo(2);
    }

    /**
     * End to end through a real sandbox run: one test that passes and one that fails, the summary
     * line, the exit code and the JUnit report.
     */
    @Test
    void endToEndThroughARealSandboxRun() throws IOException {
        Path rb = Files.writeString(dir.resolve("hello.yaml"), """
                apiVersion: runbook/v1
                name: hello
                steps:
                  - id: greet
                    file: {write: greeting.txt, content: "hello from the sandbox\\n", mode: "0600"}
                  - id: sure
                    assert: {that: "false", message: "never holds"}
                """);
        Path suite = dir.resolve("suite");
        for (String name : new String[] {"right", "wrong"}) {
            Path t = Files.createDirectories(suite.resolve(name));
            Files.writeString(t.resolve("sandbox.yaml"), """
                    test:
                      runbook: ../../hello.yaml
                      expect:
                        exit: %s
                        failedStep: sure
                        message: never holds
                        states: {greet: succeeded}
                        files:
                          - {path: greeting.txt, mode: "0600", contains: hello}
                        writes: 0
                    """.formatted(name.equals("right") ? 1 : 0));
        }
        Path junit = dir.resolve("junit.xml");
        Out r = cli("test", suite.toString(), "--junit", junit.toString(), "--coverage");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).containsPattern("(?m)^PASS " + suite.resolve("right") + " \\d+\\.\\ds$")
                .containsPattern("(?m)^FAIL " + suite.resolve("wrong") + " \\d+\\.\\ds$")
                .contains("    exit: expected 0, got 1\n")
                .contains("sure  assert   tripped by " + suite.resolve("right") + ", " + suite.resolve("wrong"))
                .endsWith("1 passed, 1 failed\n");
        assertThat(Files.readString(junit)).contains("name=\"" + suite.resolve("right") + "\"");
    }

    @Test
    void aRunbookFileGivenWithSandboxIsTestedInsteadOfTheTestsOwnRunbook() throws IOException {
        Files.writeString(dir.resolve("original.yaml"), """
                apiVersion: runbook/v1
                name: original
                steps:
                  - id: check
                    assert: {that: "false", message: "the original fails here"}
                """);
        Path edited = Files.writeString(dir.resolve("edited.yaml"), """
                apiVersion: runbook/v1
                name: edited
                steps:
                  - id: check
                    assert: {that: "true"}
                """);
        Path t = Files.createDirectories(dir.resolve("suite/original-fails"));
        Files.writeString(t.resolve("sandbox.yaml"), """
                test:
                  runbook: ../../original.yaml
                  expect: {exit: 1, failedStep: check}
                """);
        assertThat(cli("test", "--sandbox", dir.resolve("suite").toString()).code()).isZero();
        Out r = cli("test", edited.toString(), "--sandbox", dir.resolve("suite").toString());
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("    exit: expected 1, got 0\n");

        Out two = cli("test", edited.toString(), dir.resolve("original.yaml").toString(), "--sandbox", t.toString());
        assertThat(two.code()).isEqualTo(2);
        assertThat(two.err()).startsWith("runbook: give at most one runbook FILE to test against the sandboxes, got 2: ");
        Out none = cli("test", edited.toString());
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("runbook: give a test folder (PATH or --sandbox DIR) to test " + edited + " in\n");
    }
}
