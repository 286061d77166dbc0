package dev.runbook.sandbox;

import dev.runbook.proc.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The executables of {@code controllers/}, run in the background for the life of the sandbox: they
 * play the operators of a real cluster. Each runs in a process group of its own under a small
 * shell that also ends that group when this JVM is gone (after {@code kill -9} nobody else would).
 * {@link #close} stops everything they started the way a step's processes are stopped
 * ({@link ProcessTree}): every process that carries their tag in its environment, so also what a
 * controller left in the background or forked at that moment.
 */
final class Controllers implements AutoCloseable {
    /**
     * Runs "$1" in the background and ends the whole group once it or the JVM (pid "$2") is gone.
     * When the JVM is gone the group is stopped before any wait: a controller that waits for its
     * own parent to go (as the flagship operator does) would otherwise wait for this shell, which
     * waited for it, for ever.
     */
    // `kill -TERM -PGID`, not `kill -TERM -- -PGID`: dash's built-in kill (Debian's /bin/sh)
    // takes no `--` and fails on it, leaving the group running.
    private static final String WATCHDOG = "\"$1\" & child=$!; "
            + "while kill -0 \"$2\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; "
            + "kill -0 \"$2\" 2>/dev/null || { kill -TERM -$$ 2>/dev/null || kill -TERM \"$child\" 2>/dev/null; }; "
            + "wait \"$child\" 2>/dev/null; status=$?; kill -TERM -$$ 2>/dev/null; exit $status";

    private static final String SETSID = "/usr/bin/setsid";
    /** How long stopped controllers get to end before they are killed. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    /** The tag ({@link ProcessTree#TAG_VARIABLE}) of every process these controllers start. */
    private final String tag;

    private Controllers(String tag) {
        this.tag = tag;
    }

    static Controllers start(Path controllersDir, Map<String, String> env, Path log) {
        return start(controllersDir, env, log, ProcessHandle.current().pid());
    }

    /** @param owner the process whose end (a {@code kill -9} of the run) ends the controllers too */
    static Controllers start(Path controllersDir, Map<String, String> env, Path log, long owner) {
        Controllers controllers = new Controllers("sandbox-controllers-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        if (!Files.isDirectory(controllersDir)) {
            return controllers;
        }
        List<Path> executables;
        try (Stream<Path> s = Files.list(controllersDir)) {
            executables = s.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).sorted().toList();
        } catch (IOException e) {
            throw new SandboxException("sandbox: cannot list " + controllersDir + ": " + e.getMessage(), e);
        }
        try {
            for (Path exe : executables) {
                List<String> argv = new ArrayList<>();
                if (Files.isExecutable(Path.of(SETSID))) {
                    argv.add(SETSID); // a group of its own: a Ctrl-C at the terminal is the run's, not the controller's
                }
                argv.addAll(List.of("/bin/sh", "-c", WATCHDOG, "sandbox-controller", exe.toString(),
                        Long.toString(owner)));
                ProcessBuilder pb = new ProcessBuilder(argv).directory(controllersDir.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(env);
                pb.environment().put(ProcessTree.TAG_VARIABLE, controllers.tag);
                pb.start();
            }
        } catch (IOException e) {
            controllers.close();
            throw new SandboxException("sandbox: cannot start the controllers of " + controllersDir + ": " + e.getMessage(), e);
        }
        return controllers;
    }

    /** Stops every controller with all the processes it started: TERM, then KILL after a moment. */
    @Override
    public void close() {
        ProcessTree.kill(null, tag, GRACE);
    }
}
