package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.proc.Executables;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Prompts: answered up front, at a real terminal, or failing at once when nobody can answer. */
@Timeout(90)
class PromptTest {
    /** The end of a secret's question. */
    private static final String HIDDEN = "(input is hidden)";
    /** {@code stty -a} lists "-echo" when echo is off (and "-echoe", "-echok"... for other flags). */
    private static final Pattern ECHO_OFF = Pattern.compile("(^|\\s)-echo(\\s|$)");

    @TempDir
    Path dir;

    private static final String CONFIRM = """
            apiVersion: runbook/v1
            name: confirm
            steps:
              - id: traffic-stopped
                prompt: {message: "Is all external traffic stopped?"}
              - id: restore
                shell: {command: [touch, %s/restored]}
            """;

    @Test
    void withoutATerminalAndWithoutAnAnswerTheRunFailsAtOnceWithExit3() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", CONFIRM.formatted(dir));
        // stdin is an open pipe that never delivers a byte: a run that waited would hang here.
        Process p = Runs.start(dir, Map.of(), "run", rb.toString());
        Runs.Result r = Runs.finish(p, dir, 30);
        assertThat(r.code()).as(r.all()).isEqualTo(3);
        assertThat(r.out()).contains("prompt 'traffic-stopped' needs an answer and there is no terminal to ask: "
                + "give it with --answer traffic-stopped=yes");
        assertThat(dir.resolve("restored")).doesNotExist();
    }

    @Test
    void answersGivenUpFrontAreUsedAndRecordedWithWhoGaveThem() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", CONFIRM.formatted(dir));
        Runs.Result yes = Runs.cli("run", rb.toString(), "--answer", "traffic-stopped=yes");
        assertThat(yes.code()).as(yes.all()).isZero();
        assertThat(yes.out()).contains("answered yes by " + System.getProperty("user.name") + " (--answer)");
        assertThat(dir.resolve("restored")).exists();
        Files.delete(dir.resolve("restored"));

        Runs.Result all = Runs.cli("run", rb.toString(), "--yes");
        assertThat(all.code()).as(all.all()).isZero();
        assertThat(all.out()).contains("(--yes)");

        Path answers = Runs.write(dir, "answers.yaml", "traffic-stopped: no\n");
        Runs.Result no = Runs.cli("run", rb.toString(), "--answers", answers.toString());
        assertThat(no.code()).as(no.all()).isEqualTo(3);
        assertThat(no.out()).contains("declined by " + System.getProperty("user.name") + " (--answers " + answers + ")")
                .contains("Result: DECLINED (exit 3)");
    }

    @Test
    void aDeclineWithOnDeclineSkipSkipsTheStepAndGoesOn() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: skip
                steps:
                  - id: snapshot
                    prompt: {message: "Take a VM snapshot now?", onDecline: skip}
                  - id: after
                    shell: {command: [touch, %s/after]}
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString(), "--answer", "snapshot=n");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("SKIPPED +snapshot .*onDecline: skip");
        assertThat(dir.resolve("after")).exists();
    }

    @Test
    void badAnswersAreUsageErrors() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", CONFIRM.formatted(dir));
        Runs.Result unknown = Runs.cli("run", rb.toString(), "--answer", "trafic-stopped=yes");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("--answer names 'trafic-stopped', which is not a step of this runbook "
                + "(did you mean 'traffic-stopped'?)").contains("prompt steps: traffic-stopped");
        Runs.Result notPrompt = Runs.cli("run", rb.toString(), "--answer", "restore=yes");
        assertThat(notPrompt.code()).isEqualTo(2);
        assertThat(notPrompt.err()).contains("which is not a prompt step");
        Runs.Result maybe = Runs.cli("run", rb.toString(), "--answer", "traffic-stopped=maybe");
        assertThat(maybe.code()).isEqualTo(2);
        assertThat(maybe.err()).contains("must be yes or no, not 'maybe'");
        Runs.Result syntax = Runs.cli("run", rb.toString(), "--answer", "traffic-stopped");
        assertThat(syntax.code()).isEqualTo(2);
        assertThat(syntax.err()).contains("is not ID=VALUE");
        assertThat(dir.resolve("restored")).doesNotExist();
    }

    @Test
    void choiceAndInputAnswersBecomeTheResultValue() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: values
                steps:
                  - id: site
                    prompt: {message: "Which site?", type: choice, choices: [east, west]}
                    capture: {v: "${{ result.value }}"}
                  - id: ticket
                    prompt: {message: "Change ticket?", type: input}
                    capture: {v: "${{ result.value }}"}
                  - id: use
                    shell: {command: [touch, "%s/${{ steps.site.outputs.v }}-${{ steps.ticket.outputs.v }}"]}
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString(), "--answer", "site=west", "--answer", "ticket=CHG42");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dir.resolve("west-CHG42")).exists();
        Runs.Result bad = Runs.cli("run", rb.toString(), "--answer", "site=north", "--answer", "ticket=x");
        assertThat(bad.code()).as("checked before the run, like a confirm answer").isEqualTo(2);
        assertThat(bad.err()).contains("--answer for choice 'site' must be one of east, west");
    }

    /** A real terminal: the CLI runs under {@code script}, which gives it a pseudo-terminal. */
    @Test
    void atATerminalEachKindOfPromptIsAskedAndTheSecretIsNeverShown() throws Exception {
        assumeTrue(Executables.find("script") != null, "needs the script command for a pseudo-terminal");
        assumeTrue(Executables.find("stty") != null, "needs stty to see when echo is off");
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: tty
                steps:
                  - id: go
                    doc: Check the change window first.
                    prompt: {message: "Start the maintenance?"}
                  - id: site
                    prompt: {message: "Which site?", type: choice, choices: [east, west]}
                    capture: {v: "${{ result.value }}"}
                  - id: name
                    prompt: {message: "Operator name?", type: input, default: nobody}
                    capture: {v: "${{ result.value }}"}
                  - id: pw
                    prompt: {message: "Vault password?", type: secret}
                    capture: {v: "${{ result.value }}"}
                  - id: use
                    shell:
                      script: |
                        printf '%%s %%s %%s' ${{ steps.site.outputs.v }} ${{ steps.name.outputs.v }} ${{ steps.pw.outputs.v }} > %s/got
                        echo the password is ${{ steps.pw.outputs.v }}
                """.formatted(dir));
        String cmd = Runs.shellCommand("run", rb.toString());
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", cmd, "/dev/null");
        pb.directory(dir.toFile());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Output output = Output.of(p);
        StringBuffer seen = output.seen();
        OutputStream in = p.getOutputStream();
        for (List<String> step : List.of(List.of("[y/N]", "y"), List.of("choose 1-2", "2"), List.of("[nobody]", "alice"),
                List.of(HIDDEN, "hunter2-secret"))) {
            waitFor(seen, step.get(0), p);
            if (step.get(0).equals(HIDDEN)) {
                waitForEchoOff(p);
            }
            in.write((step.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output.reader().join(5000);
        String out = seen.toString();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("Check the change window first.").contains("Start the maintenance?")
                .contains("1) east").contains("2) west")
                .contains("answered yes by " + System.getProperty("user.name") + " (terminal)")
                .contains("answered west by").contains("answered *** by").contains("the password is ***")
                .doesNotContain("hunter2-secret");
        assertThat(Files.readString(dir.resolve("got"))).isEqualTo("west alice hunter2-secret");
    }

    private static void waitFor(StringBuffer seen, String text, Process p) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!seen.toString().contains(text)) {
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new AssertionError("never saw '" + text + "' in:\n" + seen);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Waits until the CLI's terminal no longer echoes what is typed. The question of a secret
     * may be printed before echo is switched off; an answer typed in between would be shown.
     */
    private static void waitForEchoOff(Process p) throws Exception {
        String tty = terminalOf(p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            Process stty = new ProcessBuilder("stty", "-a", "-F", tty).redirectErrorStream(true).start();
            String settings = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            stty.waitFor();
            if (ECHO_OFF.matcher(settings).find()) {
                return;
            }
            if (System.nanoTime() > end || !p.isAlive()) {
                throw new AssertionError("the terminal " + tty + " still echoes: " + settings);
            }
            Thread.sleep(20);
        }
    }

    /** The pseudo-terminal {@code script} gave the CLI: the standard input of the processes it started. */
    private static String terminalOf(Process p) {
        for (ProcessHandle h : p.descendants().toList()) {
            try {
                String in = Files.readSymbolicLink(Path.of("/proc", String.valueOf(h.pid()), "fd", "0")).toString();
                if (in.startsWith("/dev/pts/")) {
                    return in;
                }
            } catch (IOException e) {
                // gone, or not ours to read
            }
        }
        throw new AssertionError("no process under script has a pseudo-terminal as its input");
    }

    /** {@code runbook run ... | tee log}: the operator is at a terminal, the output goes down a pipe. */
    @Test
    void withOutputPipedTheQuestionIsAskedOnTheTerminal() throws Exception {
        assumeTrue(Executables.find("script") != null, "needs the script command for a pseudo-terminal");
        Path rb = Runs.write(dir, "rb.yaml", CONFIRM.formatted(dir));
        String cmd = Runs.shellCommand("run", rb.toString());
        Path wrapper = Runs.write(dir, "wrapper.sh", "set -o pipefail\n" + cmd + " | cat > " + dir.resolve("log.txt") + "\n");
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", "bash " + wrapper, "/dev/null");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        Output output = Output.of(p);
        StringBuffer seen = output.seen();
        waitFor(seen, "[y/N]", p);
        p.getOutputStream().write("yes\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        output.reader().join(5000);
        assertThat(p.exitValue()).as(seen.toString()).isZero();
        assertThat(seen.toString()).contains("Is all external traffic stopped?");
        String log = Files.readString(dir.resolve("log.txt"));
        assertThat(log).contains("answered yes by " + System.getProperty("user.name") + " (terminal)")
                .contains("Result: SUCCEEDED (exit 0)").doesNotContain("\u001b[");
        assertThat(dir.resolve("restored")).exists();
    }

    /** Everything a process prints (on its pseudo-terminal), gathered by a thread of its own. */
    private record Output(StringBuffer seen, Thread reader) {
        static Output of(Process p) {
            StringBuffer seen = new StringBuffer();
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    byte[] buf = new byte[4096];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    // the process ended
                }
            });
            reader.start();
            return new Output(seen, reader);
        }
    }
}
