package dev.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.cli.Cli;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that try to hang, exhaust or fool the loader and the command line: devices, FIFOs,
 * huge files, huge numbers, long plain scalars, odd command-line values. Each must end quickly
 * with a one-line problem and exit 2, never a stack trace, a hang or a silent misreading.
 * (Problems inside a runbook are fixtures in tests-fixtures/invalid/.)
 */
@Timeout(60)
class HostileInputsTest {
    @TempDir
    Path dir;

    static final String VALID = """
            apiVersion: runbook/v1
            name: ok
            steps:
              - id: a
                shell: {command: ["true"]}
            """;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static void assertCleanUsageError(Cli.Result r) {
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.all()).doesNotContain("Exception", "\tat ", "internal error");
    }

    /**
     * Runs {@code action}; if it is still running after 10 s (blocked opening the FIFO), a
     * writer opens the FIFO so that it returns, and the test fails instead of hanging.
     */
    static <T> T withoutBlockingOn(Path fifo, java.util.concurrent.Callable<T> action) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(action);
        Thread t = new Thread(task, "fifo-reader");
        t.setDaemon(true);
        t.start();
        try {
            return task.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            try (OutputStream unblock = Files.newOutputStream(fifo)) {
                unblock.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            throw new AssertionError("blocked on the FIFO for 10 s");
        }
    }

    // ---- what the runbook file is -------------------------------------------------------------

    @Test
    void aDeviceIsRefusedBeforeAnythingIsRead() {
        Cli.Result r = Cli.run("validate", "/dev/zero");
        assertCleanUsageError(r);
        assertThat(r.err()).isEqualTo("/dev/zero: error: is a character device, not a regular file\n");
    }

    @Test
    void aFifoNobodyWritesToDoesNotBlock() throws Exception {
        Path fifo = dir.resolve("fifo.yaml");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        Cli.Result r = withoutBlockingOn(fifo, () -> Cli.run("validate", fifo.toString()));
        assertCleanUsageError(r);
        assertThat(r.err()).contains("is a FIFO, not a regular file");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWithoutReadingItAll() throws Exception {
        Path big = dir.resolve("big.yaml");
        byte[] comments = ("#" + "x".repeat(1023) + "\n").getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write(VALID.getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 65 * 1024; i++) {
                out.write(comments);
            }
        }
        Cli.Result r = Cli.run("validate", big.toString());
        assertCleanUsageError(r);
        assertThat(r.err()).isEqualTo(big + ": error: the file is larger than 64 MiB: a runbook is never that big\n");
    }

    @Test
    void aReadProblemSaysWhy() throws Exception {
        Path loop = Files.createSymbolicLink(dir.resolve("loop.yaml"), Path.of("loop.yaml"));
        Cli.Result r = Cli.run("validate", loop.toString());
        assertCleanUsageError(r);
        assertThat(r.err()).startsWith(loop + ": error: cannot read the file: ").contains("symbolic links")
                .doesNotContain(": " + loop);
    }

    @Test
    void paramsAndAnswersFilesHaveTheSameLimits() throws Exception {
        Path rb = write("rb.yaml", VALID);
        Cli.Result params = Cli.run("plan", rb.toString(), "--params", "/dev/zero");
        assertCleanUsageError(params);
        assertThat(params.err()).contains("/dev/zero: error: is a character device, not a regular file");
        Cli.Result answers = Cli.run("run", rb.toString(), "--answers", "/dev/zero", "--state-dir", dir.resolve("s").toString());
        assertCleanUsageError(answers);
        assertThat(answers.err()).contains("/dev/zero: error: is a character device, not a regular file");
    }

    // ---- plain scalars in linear time -------------------------------------------------------

    /** The best of three loads: the one least disturbed by whatever else the machine is doing. */
    private static double secondsToLoad(int size) {
        String text = "apiVersion: runbook/v1\nname: x\ntitle: " + "a".repeat(size) + "\n";
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            YamlLoader.load("big.yaml", text);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return best;
    }

    @Test
    void aLongPlainScalarLoadsInLinearTime() {
        secondsToLoad(200_000); // warm up
        double small = secondsToLoad(800_000);
        double large = secondsToLoad(3_200_000);
        // Four times the text: linear takes about four times as long, quadratic sixteen.
        assertThat(large).as("%.2fs for 0.8 MB, %.2fs for 3.2 MB", small, large).isLessThan(8 * small + 0.5);
    }

    // ---- params -------------------------------------------------------------------------------

    static final String NUMBERS = """
            apiVersion: runbook/v1
            name: numbers
            params:
              ratio: {type: number, default: 3}
              list: {type: list, default: []}
            steps:
              - id: check
                assert:
                  that: "params.ratio * 2.0 > 5.0"
            """;

    @Test
    void aWholeNumberForANumberParamIsADouble() throws Exception {
        Path rb = write("rb.yaml", NUMBERS);
        Path state = dir.resolve("s");
        Cli.Result byDefault = Cli.run("run", rb.toString(), "--state-dir", state.toString());
        assertThat(byDefault.code()).as(byDefault.all()).isZero();
        Cli.Result bySet = Cli.run("run", rb.toString(), "--set", "ratio=4", "--state-dir", state.toString());
        assertThat(bySet.code()).as(bySet.all()).isZero();
        Path file = write("p.yaml", "ratio: 4\n");
        Cli.Result byFile = Cli.run("run", rb.toString(), "--params", file.toString(), "--state-dir", state.toString());
        assertThat(byFile.code()).as(byFile.all()).isZero();
    }

    @Test
    void aBrokenFlowListIsAnErrorNotAOneElementList() throws Exception {
        Path rb = write("rb.yaml", NUMBERS);
        Cli.Result r = Cli.run("plan", rb.toString(), "--set", "list=[x");
        assertCleanUsageError(r);
        assertThat(r.err()).contains("param 'list'").contains("not a valid YAML list");
    }

    @Test
    void aParamsFileMustBeAMap() throws Exception {
        Path rb = write("rb.yaml", NUMBERS);
        Cli.Result scalar = Cli.run("plan", rb.toString(), "--params", write("scalar.yaml", "x\n").toString());
        assertCleanUsageError(scalar);
        assertThat(scalar.err()).contains("a params file is a YAML map of NAME: VALUE, not a string");
        Cli.Result empty = Cli.run("plan", rb.toString(), "--params", write("empty.yaml", "").toString());
        assertThat(empty.code()).as(empty.all()).isZero();
        Cli.Result comments = Cli.run("plan", rb.toString(), "--params", write("comments.yaml", "# none\n").toString());
        assertThat(comments.code()).as(comments.all()).isZero();
        assertThat(empty.all() + comments.all()).doesNotContain("runbook");
    }

    @Test
    void hugeNumbersInAParamsFileSayTheRange() throws Exception {
        Path rb = write("rb.yaml", NUMBERS.replace("ratio: {type: number, default: 3}",
                "ratio: {type: number, default: 3}\n  count: {type: integer, default: 1}"));
        Path file = write("p.yaml", "count: 99999999999999999999999\nratio: 1e400\n");
        Cli.Result r = Cli.run("plan", rb.toString(), "--params", file.toString());
        assertCleanUsageError(r);
        assertThat(r.err()).contains(file + ":1:8: error: 99999999999999999999999 is out of range for an integer")
                .contains(file + ":2:8: error: 1e400 is out of range for a number");
    }

    @Test
    void aValueHoldingACodeFenceCannotBreakOutOfTheMarkdownPlan() throws Exception {
        Path rb = write("rb.yaml", """
                apiVersion: runbook/v1
                name: fence
                params:
                  note: {default: "x\\n```\\n# Injected heading"}
                steps:
                  - id: a
                    shell: {command: [echo, "${{ params.note }}"]}
                """);
        Cli.Result r = Cli.run("plan", rb.toString(), "--format", "markdown");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("````\n").contains("```\n# Injected heading");
        int open = r.out().indexOf("````\n");
        assertThat(r.out().indexOf("````\n", open + 5)).as("closed by the same longer fence")
                .isGreaterThan(r.out().indexOf("# Injected heading"));
    }

    // ---- command-line values ------------------------------------------------------------------

    @Test
    void anEmptyStateDirIsRefused() throws Exception {
        Path rb = write("rb.yaml", VALID);
        for (String cmd : new String[] {"run", "runs", "status", "resume"}) {
            Cli.Result r = cmd.equals("run") ? Cli.run("run", rb.toString(), "--state-dir", "")
                    : Cli.run(cmd, "--state-dir", "");
            assertCleanUsageError(r);
            assertThat(r.err()).as(cmd).contains("--state-dir is empty");
        }
        assertThat(Files.exists(Path.of("runs"))).as("nothing written in the current directory").isFalse();
    }

    @Test
    void aStateDirThatIsAFileIsAnError() throws Exception {
        Path file = write("state", "x");
        Cli.Result r = Cli.run("runs", "--state-dir", file.toString());
        assertCleanUsageError(r);
        assertThat(r.err()).contains(file + " is not a directory");
    }

    @Test
    void anAnswerWithoutEqualsIsNeverEchoed() throws Exception {
        Path rb = write("rb.yaml", VALID);
        Cli.Result r = Cli.run("run", rb.toString(), "--answer", "hunter2-secret", "--state-dir", dir.resolve("s").toString());
        assertCleanUsageError(r);
        assertThat(r.err()).contains("--answer number 1 is not ID=VALUE").doesNotContain("hunter2");
    }

    @Test
    void anInvalidChoiceAnswerIsRefusedBeforeTheRun() throws Exception {
        Path marker = dir.resolve("ran");
        Path rb = write("rb.yaml", """
                apiVersion: runbook/v1
                name: choice
                steps:
                  - id: first
                    file: {write: "%s", content: x}
                  - id: pick
                    prompt: {message: Which?, type: choice, choices: [red, green]}
                """.formatted(marker));
        Cli.Result r = Cli.run("run", rb.toString(), "--answer", "pick=blue", "--state-dir", dir.resolve("s").toString());
        assertCleanUsageError(r);
        assertThat(r.err()).contains("--answer for choice 'pick' must be one of red, green");
        assertThat(Files.exists(marker)).as("no step ran").isFalse();
        assertThat(Arrays.asList(dir.toFile().list())).doesNotContain("ran");
    }
}
