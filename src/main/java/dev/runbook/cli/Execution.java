package dev.runbook.cli;

import dev.runbook.engine.Engine;
import dev.runbook.engine.RunOutcome;
import dev.runbook.journal.JournalListener;
import dev.runbook.journal.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;

/**
 * What {@code run} and {@code resume} share once the run's directory is locked and its
 * journal listener made: signals for the length of the run, the engine, and the lines after
 * it (where the report is).
 */
final class Execution {
    private Execution() {
    }

    /**
     * Runs the engine under Ctrl-C/SIGTERM handling, or, in a host that stops its runs itself
     * (several runs in one process: signals are process-wide), under its cancellation; returns
     * the run's exit code.
     */
    static int run(Engine engine, JournalListener journal, boolean dryRun, PrintWriter out, PrintWriter err, Host host) {
        RunOutcome outcome;
        AutoCloseable stopping = host.cancellation() != null ? host.cancellation().onCancel(engine::interrupt)
                : Interrupts.install(engine::interrupt, m -> {
                    err.println("runbook: " + m);
                    err.flush();
                });
        try {
            outcome = engine.run();
        } finally {
            try {
                stopping.close();
            } catch (Exception e) {
                // Interrupts.close and the cancellation's handle throw nothing
            }
        }
        RunDir dir = journal.dir();
        if (journal.reportProblem() != null) {
            err.println("warning: the run's report could not be written: " + journal.reportProblem());
        } else {
            out.println("Report: " + dir.report());
        }
        if (outcome.exitCode() != 0 && !dryRun) {
            out.println("Continue it with: runbook resume " + dir.id() + stateDirHint(dir));
        }
        out.flush();
        err.flush();
        return outcome.exitCode();
    }

    /** The --state-dir to repeat, unless the run's state directory is the default one. */
    private static String stateDirHint(RunDir dir) {
        java.nio.file.Path state = dir.dir().getParent().getParent();
        return state.equals(java.nio.file.Path.of(".runbook")) ? "" : " --state-dir " + state;
    }

    private static void deleteTree(java.nio.file.Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var all = Files.walk(path)) {
            for (java.nio.file.Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * A run that stopped before its journal began (bad answers, a refused {@code --from}) leaves
     * nothing behind: its directory holds only the released lock.
     */
    static void discardIfNotBegun(RunDir dir) {
        if (Files.exists(dir.journal())) {
            return;
        }
        try {
            // A sandbox run that stopped before its journal began leaves its world too. The names
            // are compile-time constants: no sandbox class is loaded for a real run.
            for (String name : new String[] {dev.runbook.sandbox.Sandbox.WORLD, dev.runbook.sandbox.Sandbox.KUBECONFIG,
                dev.runbook.sandbox.Sandbox.CONTROLLERS_LOG, dev.runbook.sandbox.Sandbox.KUBE_CACHE, SandboxRun.REMEMBERED}) {
                deleteTree(dir.dir().resolve(name));
            }
            Files.deleteIfExists(dir.lockFile());
            Files.deleteIfExists(dir.dir());
        } catch (IOException e) {
            // an empty run directory is listed as not-started: harmless
        }
    }
}
