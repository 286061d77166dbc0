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
    // `kill -TERM -PGID`, not `kill -TERM -- -PGID`: dash's built-in kill (Debian's /bin/sh)
    // takes no `--` and fails on it, leaving the group running.
    private static final String WATCHDOG = "\"$1\" & child=$!; "
            + "while kill -0 \"$2\" 2>/dev/null && kill -0 \"$child\" 2>/dev/null; do sleep 1; done; "
            + "kill -0 \"$2\" 2>/dev/null || { kill -TERM -$$ 2>/dev/null || kill -TERM \"$child\" 2>/dev/null; }; "
            + "wait \"$child\" 2>/dev/null; status=$?; kill -TERM -$$ 2>/dev/null; exit $status";

    private static final String SETSID = "/usr/bin/setsid";
    /** How long stopped controllers get to end before they are killed. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final List<Process> running;
    /**
     * Each controller was started by setsid, in a process group of its own whose id is the pid
     * of the process started (setsid forks only when the caller leads a group, which a child of
     * the JVM never does).
     */
    private final boolean ownGroups;

    private Controllers(List<Process> running, boolean ownGroups) {
        this.running = running;
        this.ownGroups = ownGroups;
    }

    static Controllers start(Path controllersDir, Map<String, String> env, Path log) {
        return start(controllersDir, env, log, ProcessHandle.current().pid());
    }

    /** @param owner the process whose end (a {@code kill -9} of the run) ends the controllers too */
    static Controllers start(Path controllersDir, Map<String, String> env, Path log, long owner) {
        List<Process> started = new ArrayList<>();
        boolean setsid = Files.isExecutable(Path.of(SETSID));
        if (!Files.isDirectory(controllersDir)) {
            return new Controllers(started, setsid);
        }
        List<Path> executables;
        try (Stream<Path> s = Files.list(controllersDir)) {
            executables = s.filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).sorted().toList();
        } catch (IOException e) {
            throw new SandboxException("sandbox: cannot list " + controllersDir + ": " + e.getMessage(), e);
        }
        Controllers controllers = new Controllers(started, setsid);
        try {
            for (Path exe : executables) {
                List<String> argv = new ArrayList<>();
                if (setsid) {
                    argv.add(SETSID); // a group of its own: a Ctrl-C at the terminal is the run's, not the controller's
                }
                argv.addAll(List.of("/bin/sh", "-c", WATCHDOG, "sandbox-controller", exe.toString(),
                        Long.toString(owner)));
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

    /**
     * Stops every controller with all the processes it started: TERM, then KILL after a moment.
     * With process groups, the whole group is signalled: a list of descendants taken at one
     * moment misses a child forked just then (a controller that loops on kubectl forks all the
     * time), and such a child, its parent gone, would run on for ever.
     */
    @Override
    public void close() {
        if (ownGroups) {
            closeGroups();
            return;
        }
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : running) {
            p.descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (ProcessHandle h : all) {
            while (!ended(h) && System.nanoTime() < deadline && pause()) {
                // waiting
            }
            if (!ended(h)) {
                h.destroyForcibly();
            }
        }
    }

    private void closeGroups() {
        for (Process p : running) {
            signalGroup(p.pid(), "TERM");
        }
        long deadline = System.nanoTime() + GRACE.toNanos();
        for (Process p : running) {
            while (groupAlive(p.pid()) && System.nanoTime() < deadline && pause()) {
                // waiting
            }
            if (groupAlive(p.pid())) {
                signalGroup(p.pid(), "KILL");
            }
        }
    }

    /** False when the thread was interrupted: closing goes on without further waits. */
    private static boolean pause() {
        try {
            Thread.sleep(5);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Sends SIGNAL to every process of group {@code pgid}: Java has no killpg, so the shell's
     * built-in kill does it (the watchdog relies on the same; a kill(1) program may be missing).
     */
    private static void signalGroup(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -" + signal + " -" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // no shell: what is left ends with the watchdog when this JVM does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether any process of group {@code pgid} still runs (a zombie does not). */
    static boolean groupAlive(long pgid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.anyMatch(p -> {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    return false;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
                    return !f[0].equals("Z") && Long.parseLong(f[2]) == pgid;
                } catch (IOException | RuntimeException e) {
                    return false; // gone meanwhile
                }
            });
        } catch (IOException e) {
            return false;
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
