package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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
     * line, the exit code and the JUnit report. Skipped while {@code run --sandbox} is refused.
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
        // The probe writes nothing: once --sandbox works it really runs, in this process's directory.
        Path probeRunbook = Files.writeString(dir.resolve("probe.yaml"),
                "apiVersion: runbook/v1\nname: probe\nsteps:\n  - id: nothing\n    assert: {that: \"true\"}\n");
        Out probe = cli("run", probeRunbook.toString(), "--sandbox", Files.createDirectories(dir.resolve("probe")).toString(),
                "--state-dir", dir.resolve("probe-state").toString());
        assumeFalse(probe.err().contains("--sandbox is not available"),
                "runbook run --sandbox is not available in this build yet: the end-to-end test of runbook test waits for it");
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
}
