package dev.runbook.runbooktest;

import dev.runbook.engine.Cancellation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * How a test's {@code runbook run ARGS} is carried out: {@code runbook test} gives the CLI's own
 * {@code run} command, run in this process (so that the JVM's start, class loading and JIT
 * warm-up are paid once for the whole suite, not once per test).
 */
@FunctionalInterface
public interface RunLauncher {
    /**
     * Runs {@code runbook} with {@code args} in {@code workDir} (the run's working directory),
     * without a terminal, its output and errors written to {@code console}, stopped (as Ctrl-C
     * stops a run) when {@code cancellation} is cancelled; returns the exit code.
     */
    int run(List<String> args, Path workDir, PrintWriter console, Cancellation cancellation);
}
