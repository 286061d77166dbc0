package dev.runbook.engine;

import dev.runbook.testing.LiveProcesses;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A timeout or an interruption stops the step's whole process tree: the child, its
 * background children, and grandchildren that left the process group or were re-parented.
 */
@Timeout(90)
class ProcessTreeTest {
    @TempDir
    Path dir;

    private final String marker = "rbtest-" + UUID.randomUUID();

    /** Live processes whose command line holds this test's marker. */
    private List<Long> survivors() throws IOException {
        return LiveProcesses.withMarker(marker);
    }

    @AfterEach
    void cleanUp() throws IOException {
        LiveProcesses.kill(marker);
    }

    /** A script that leaves processes everywhere a careless kill would miss them. */
    private String sprawl() {
        return """
                      script: |
                        (exec -a %1$s-background sleep 300) &
                        setsid bash -c 'exec -a %1$s-own-session sleep 300' &
                        nohup bash -c 'exec -a %1$s-nohup sleep 300' > /dev/null 2>&1 &
                        bash -c '(exec -a %1$s-orphan sleep 300) & exit 0'
                        touch %2$s/started
                        exec -a %1$s-foreground sleep 300
                """.formatted(marker, dir);
    }

    @Test
    void aTimeoutStopsTheWholeTreeAndFailsTheStep() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: timeout
                steps:
                  - id: sprawling
                    timeout: 2s
                    shell:
                %s
                  - id: after
                    shell: {command: [touch, %s/after]}
                """.formatted(sprawl(), dir));
        Runs.Result r = Runs.cli("run", rb.toString());
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(dir.resolve("started")).exists();
        assertThat(r.out()).contains("the script timed out after 2s; it was stopped, with every process it started");
        assertThat(dir.resolve("after")).doesNotExist();
        assertThat(survivors()).as("processes left after the timeout").isEmpty();
    }

    @Test
    void aBackgroundProcessHoldingTheOutputDoesNotHangTheStep() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: daemon
                steps:
                  - id: starts-daemon
                    shell:
                      script: |
                        (exec -a %s-daemon sleep 300) &
                        echo started
                  - id: after
                    shell: {command: [touch, %s/after]}
                """.formatted(marker, dir));
        Runs.Result r = Runs.cli("run", rb.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dir.resolve("after")).exists();
        assertThat(r.out()).contains("a background process started by this step still holds its output open");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"TERM", "INT"})
    void anInterruptionStopsTheTreeRecordsTheStepAndExits130(String signal) throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: interrupt
                steps:
                  - id: sprawling
                    shell:
                %s
                  - id: after
                    shell: {command: [touch, %s/after]}
                """.formatted(sprawl(), dir));
        Process p = Runs.start(dir, Map.of(), "run", rb.toString(), "--no-color");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(dir.resolve("started")) && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(50);
        }
        assertThat(dir.resolve("started")).exists();
        // SIGINT is what Ctrl-C sends to the foreground process
        assertThat(new ProcessBuilder("kill", "-s", signal, String.valueOf(p.pid())).start().waitFor()).isZero();
        Runs.Result r = Runs.finish(p, dir, 60);
        assertThat(r.code()).as(r.all()).isEqualTo(130);
        assertThat(r.out()).containsPattern("INTERRUPTED +sprawling").contains("Result: INTERRUPTED (exit 130)");
        assertThat(dir.resolve("after")).doesNotExist();
        assertThat(survivors()).as("processes left after the interruption").isEmpty();
    }
}
