package dev.runbook.cli;

import dev.runbook.engine.Cancellation;
import dev.runbook.engine.Terminal;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command runs in, beyond its arguments: a working directory, an environment, a terminal,
 * and how a run is stopped. From the command line it is this process's own ({@link #process}),
 * with Ctrl-C and SIGTERM stopping the run. {@code runbook test} runs many scenarios at once in
 * one process, each through the same {@code run} command as an operator's: each gets a host of
 * its own ({@link #inProcess}), with its own working directory and environment, and is stopped
 * through its {@link Cancellation}, since a signal would reach them all.
 *
 * @param workDir      absolute; the run's working directory ({@code RunOptions.workDir}) and what the
 *                     command line's relative paths (FILE, --params, --sandbox, --state-dir, --answers)
 *                     resolve against
 * @param env          the environment the command reads ({@code RUNBOOK_STATE_DIR}, {@code NO_COLOR}) and
 *                     that expressions see as {@code env}
 * @param cancellation null: the process's signals stop the run ({@link Interrupts}); else this does
 */
public record Host(Path workDir, Map<String, String> env, Terminal terminal, Cancellation cancellation) {
    public Host {
        workDir = workDir.toAbsolutePath().normalize();
        env = Map.copyOf(env);
    }

    /** Where a command of {@code main} runs; this process without a terminal when there is no main (tests). */
    static Host of(Main main) {
        return main == null ? process(Terminal.none()) : main.host();
    }

    /** This process: its current directory and environment, its signals. */
    public static Host process(Terminal terminal) {
        return new Host(Path.of("").toAbsolutePath(), System.getenv(), terminal, null);
    }

    /** A run among others in this process: no terminal, stopped by {@code cancellation}. */
    public static Host inProcess(Path workDir, Map<String, String> env, Cancellation cancellation) {
        return new Host(workDir, env, Terminal.none(), cancellation);
    }

    /**
     * A path from the command line, against the working directory. Left as typed when it is
     * absolute, or when the working directory is this process's own: the OS resolves it the same
     * way, and messages show it as the operator wrote it.
     */
    Path resolve(Path p) {
        if (p == null || p.isAbsolute() || workDir.equals(Path.of("").toAbsolutePath().normalize())) {
            return p;
        }
        return workDir.resolve(p);
    }
}
