package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.proc.Executables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the operator sees: colour only on a terminal, never with --no-color, NO_COLOR or a pipe. */
@Timeout(90)
class ConsoleTest {
    private static final String ESC = "\u001b[";

    @TempDir
    Path dir;

    private Path runbook() throws Exception {
        return Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: colours
                steps:
                  - id: hello
                    title: Say hello
                    shell: {command: [echo, hello]}
                """);
    }

    /** A terminal that allows colour but has nobody to answer. */
    private static Terminal colourTerminal() {
        return new Terminal() {
            public boolean interactive() {
                return false;
            }

            public boolean color() {
                return true;
            }

            public String readLine(String prompt) {
                return null;
            }

            public char[] readSecret(String prompt) {
                return null;
            }
        };
    }

    @Test
    void stepStartAndEndLinesOutputSummaryAndResult() throws Exception {
        Runs.Result r = Runs.cli("run", runbook().toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("\\[1/1\\] START +hello +Say hello")
                .contains("          | hello")
                .containsPattern("\\[1/1\\] SUCCEEDED +hello +[0-9.]+s")
                .containsPattern("Summary of run [0-9]{8}-[0-9]{6}-colours-[0-9a-f]{4}")
                .containsPattern("  hello +SUCCEEDED +[0-9.]+s")
                .contains("Result: SUCCEEDED (exit 0)")
                .doesNotContain(ESC);
    }

    @Test
    void colourOnATerminalUnlessNoColor() throws Exception {
        Runs.Result coloured = Runs.cli(colourTerminal(), "run", runbook().toString());
        assertThat(coloured.out()).contains(ESC + "32mSUCCEEDED");
        Runs.Result plain = Runs.cli(colourTerminal(), "run", runbook().toString(), "--no-color");
        assertThat(plain.code()).isZero();
        assertThat(plain.out()).doesNotContain(ESC);
    }

    @Test
    void noColourInAPipe() throws Exception {
        Runs.Result r = Runs.finish(Runs.start(dir, Map.of(), "run", runbook().toString()), dir, 60);
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("SUCCEEDED").doesNotContain(ESC);
    }

    @Test
    void theNoColorVariableTurnsColourOffOnARealTerminal() throws Exception {
        assumeTrue(Executables.find("script") != null, "needs the script command for a pseudo-terminal");
        Path rb = runbook();
        String cmd = Runs.shellCommand("run", rb.toString());
        for (boolean noColor : List.of(false, true)) {
            ProcessBuilder pb = new ProcessBuilder("script", "-qefc", cmd, "/dev/null");
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve("tty.txt").toFile());
            if (noColor) {
                pb.environment().put("NO_COLOR", "1");
            } else {
                pb.environment().remove("NO_COLOR");
                pb.environment().put("TERM", "xterm");
            }
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("tty.txt"), StandardCharsets.UTF_8);
            assertThat(out).contains("SUCCEEDED");
            if (noColor) {
                assertThat(out).doesNotContain(ESC);
            } else {
                assertThat(out).contains(ESC);
            }
        }
    }
}
