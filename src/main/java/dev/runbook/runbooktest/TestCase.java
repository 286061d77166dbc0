package dev.runbook.runbooktest;

import dev.runbook.engine.Cancellation;
import dev.runbook.journal.RunState;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Runs one test: a fresh state directory and working directory, {@code runbook run} against the
 * test's sandbox (in this process, through a {@link RunLauncher}, on a thread of its own so that
 * a run that hangs can be left behind), then its expectations checked against what the run left.
 */
public final class TestCase {
    /** Lines of the run's console shown under a failure. */
    public static final int TAIL_LINES = 15;

    /**
     * How long a run stopped at its time limit has to end (its step recorded interrupted, its
     * sandbox closed) before it is abandoned: its sandbox closed from outside, its thread left.
     */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Exit code reported for a run that did not even end after it was stopped. */
    static final int NO_EXIT = -1;

    /** How the run of a test ended: its exit code ({@link #NO_EXIT} when abandoned), and its console's last lines. */
    record Ended(int exitCode, boolean timedOut, List<String> console) {
        List<String> tail(int lines) {
            return console.subList(Math.max(0, console.size() - lines), console.size());
        }
    }

    private TestCase() {
    }

    /** The arguments of {@code runbook run} for this test; {@code paramsFile} holds {@code params:}. */
    static List<String> runArguments(TestSpec spec, Path stateDir, Path paramsFile) {
        List<String> args = new ArrayList<>(List.of("run", spec.runbook().toAbsolutePath().toString(),
                "--state-dir", stateDir.toAbsolutePath().toString(), "--no-color"));
        if (!spec.params().isEmpty()) {
            args.add("--params");
            args.add(paramsFile.toAbsolutePath().toString());
        }
        spec.set().forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        spec.answers().forEach((k, v) -> {
            args.add("--answer");
            args.add(k + "=" + v);
        });
        if (spec.yes()) {
            args.add("--yes");
        }
        if (spec.dryRun()) {
            args.add("--dry-run");
        }
        args.add("--sandbox");
        args.add(spec.folder().toAbsolutePath().toString());
        return args;
    }

    /**
     * Runs {@code spec} in a temporary folder of its own, removed afterwards. {@code suite}
     * stops every test at once ({@code runbook test} interrupted): a test not yet begun then
     * does not run.
     */
    public static TestResult run(TestSpec spec, Duration limit, RunLauncher launcher, Cancellation suite) {
        long start = System.nanoTime();
        if (suite.cancelled()) {
            return new TestResult(spec, Duration.ZERO, List.of("not run: runbook test was stopped"), List.of(), null);
        }
        Path scratch;
        try {
            scratch = Files.createTempDirectory("runbook-test-");
        } catch (IOException e) {
            throw new RunbookTestException("runbook: cannot make a temporary folder for a test: " + e.getMessage());
        }
        try {
            Path stateDir = scratch.resolve("state");
            Path workDir = scratch.resolve("work");
            Path paramsFile = scratch.resolve("params.yaml");
            prepare(spec, workDir, paramsFile);
            Ended child = launch(spec, runArguments(spec, stateDir, paramsFile), workDir, limit, launcher, suite);
            RunFacts facts = RunFacts.read(child.exitCode(), stateDir, workDir);
            List<String> differences = new ArrayList<>();
            if (child.timedOut()) {
                differences.add("the run did not end within " + limit.toSeconds() + "s and was stopped");
            }
            differences.addAll(ExpectationCheck.differences(spec.expect(), facts));
            return new TestResult(spec, Duration.ofNanos(System.nanoTime() - start), differences,
                    child.tail(TAIL_LINES), facts.failedStep().map(RunState.StepRecord::id).orElse(null));
        } catch (RunbookTestException e) {
            // A test that cannot even be set up fails alone; the others still run.
            return new TestResult(spec, Duration.ofNanos(System.nanoTime() - start), List.of(e.getMessage()), List.of(), null);
        } finally {
            deleteTree(scratch);
        }
    }

    /**
     * Runs the CLI with {@code args} in {@code workDir} on a thread of its own; past
     * {@code limit} the run is stopped as Ctrl-C stops it, and abandoned (its sandbox closed from
     * outside) when it has not ended {@link #STOP_GRACE} later.
     */
    static Ended launch(TestSpec spec, List<String> args, Path workDir, Duration limit, RunLauncher launcher,
                        Cancellation suite) {
        ConsoleTail tail = new ConsoleTail();
        PrintWriter console = new PrintWriter(tail, true);
        Cancellation cancellation = new Cancellation();
        AutoCloseable stopWithSuite = suite.onCancel(cancellation::cancel);
        AutoCloseable abandonWithSuite = suite.onAbandon(cancellation::abandon);
        FutureTask<Integer> run = new FutureTask<>(() -> launcher.run(args, workDir, console, cancellation));
        // A thread of its own, not the pool's: the engine interrupts the thread it runs on, and
        // a run that does not stop must not take a worker of the suite with it.
        Thread.ofPlatform().daemon().name("runbook-test-run " + spec.name()).start(run);
        try {
            Integer exit = awaitRun(run, limit);
            if (exit != null) {
                return new Ended(exit, false, tail.lines());
            }
            cancellation.cancel();
            exit = awaitRun(run, STOP_GRACE);
            if (exit == null) {
                cancellation.abandon();
            }
            console.flush();
            tail.add("runbook test: the run did not end within " + limit.toSeconds() + "s: it was stopped");
            return new Ended(exit == null ? NO_EXIT : exit, true, tail.lines());
        } finally {
            closeQuietly(stopWithSuite);
            closeQuietly(abandonWithSuite);
        }
    }

    /** The run's exit code, or null when it has not ended within {@code wait}. */
    private static Integer awaitRun(FutureTask<Integer> run, Duration wait) {
        try {
            return run.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunbookTestException("runbook: interrupted while a test was running");
        } catch (ExecutionException e) {
            // The CLI reports every error as a message and an exit code; anything else is a bug.
            throw new RunbookTestException("runbook: the run of the test failed: " + e.getCause());
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // only forgets a registration
        }
    }

    private static void prepare(TestSpec spec, Path workDir, Path paramsFile) {
        try {
            if (spec.workdir() != null) {
                if (!Files.isDirectory(spec.workdir())) {
                    throw new RunbookTestException("workdir: " + spec.workdir() + " is not a folder of the test");
                }
                copyTree(spec.workdir(), workDir);
            } else {
                Files.createDirectories(workDir);
            }
            DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
            Files.writeString(paramsFile, new Dump(settings).dumpToString(spec.params()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RunbookTestException("cannot prepare the test's working directory: " + e.getMessage());
        }
    }

    /** Copies a folder, links followed (a test's project may link to shared files), keeping file modes. */
    static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // a temporary folder left behind costs disk, not correctness
        }
    }
}
