package dev.runbook.sandbox;

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
 * shell that also ends it when this JVM is gone (after {@code kill -9} nobody else would), and
 * {@link #close} stops each whole tree.
 */
final class Controllers implements AutoCloseable {
    /**
     * Runs "$1" in the background and ends the whole group once it or the JVM (pid "$2") is gone.
     * When the JVM is gone the group is stopped before any wait: a controller that waits for its
     * own parent to go (as the flagship operator does) would otherwise wait for this shell, which
     * waited for it, for ever.
     */
    private static final String WATCHDOG = "\"$1\" & child=$!; "
            + "while kill -0 \"$2\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; "
            + "kill -0 \"$2\" 2>/dev/null || { kill -TERM -- -$$ 2>/dev/null || kill -TERM \"$child\" 2>/dev/null; }; "
            + "wait \"$child\" 2>/dev/null; status=$?; kill -TERM -- -$$ 2>/dev/null; exit $status";

    private final List<Process> running;

    private Controllers(List<Process> running) {
        this.running = running;
    }

    static Controllers start(Path controllersDir, Map<String, String> env, Path log) {
        List<Process> started = new ArrayList<>();
        if (!Files.isDirectory(controllersDir)) {
            return new Controllers(started);
        }
        List<Path> executables;
        try (Stream<Path> s = Files.list(controllersDir)) {
            executables = s.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).sorted().toList();
        } catch (IOException e) {
            throw new SandboxException("sandbox: cannot list " + controllersDir + ": " + e.getMessage(), e);
        }
        Controllers controllers = new Controllers(started);
        try {
            for (Path exe : executables) {
                List<String> argv = new ArrayList<>();
                if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
                    argv.add("/usr/bin/setsid"); // a group of its own: a Ctrl-C at the terminal is the run's, not the controller's
                }
                argv.addAll(List.of("/bin/sh", "-c", WATCHDOG, "sandbox-controller", exe.toString(),
                        Long.toString(ProcessHandle.current().pid())));
                ProcessBuilder pb = new ProcessBuilder(argv).directory(controllersDir.getParent().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(env);
                started.add(pb.start());
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
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : running) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        for (ProcessHandle h : all) {
            while (!ended(h) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!ended(h)) {
                h.destroyForcibly();
            }
        }
    }

    /**
     * Whether a process has ended. A controller's own children that outlive their parent by a
     * moment are handed to init and stay zombies until init reaps them, which some inits (in
     * containers above all) do late or never; the JDK counts a zombie as alive, so waiting for
     * its exit would wait out the whole grace time on every sandbox's close.
     */
    static boolean ended(ProcessHandle h) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            int end = stat.lastIndexOf(')'); // the command name, in parentheses, may hold anything
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return !h.isAlive(); // no /proc (not Linux), or gone meanwhile
        }
    }
}
