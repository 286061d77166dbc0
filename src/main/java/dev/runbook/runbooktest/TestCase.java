package dev.runbook.runbooktest;

import dev.runbook.journal.RunState;
import java.io.IOException;
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
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * Runs one test: a fresh state directory and working directory, {@code runbook run} in a child
 * process against the test's sandbox, then its expectations checked against what the run left.
 */
public final class TestCase {
    /** Lines of the run's console shown under a failure. */
    public static final int TAIL_LINES = 15;

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

    /** Runs {@code spec} in a temporary folder of its own, removed afterwards. */
    public static TestResult run(TestSpec spec, Duration limit) {
        long start = System.nanoTime();
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
            ChildRun.Result child = ChildRun.run(runArguments(spec, stateDir, paramsFile), workDir, Map.of(), limit);
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
