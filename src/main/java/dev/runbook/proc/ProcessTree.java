package dev.runbook.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops a process and everything it started. Killing only the direct child (what a plain
 * watchdog does) leaves grandchildren running: a script's {@code sleep 600 &} would outlive
 * the step. Two nets catch them:
 *
 * <ul>
 *   <li>the descendants of the child, snapshotted before anything is signalled;</li>
 *   <li>every process whose environment carries the child's tag ({@link #TAG_VARIABLE}):
 *       children inherit their parent's environment, so this also finds grandchildren that
 *       were re-parented after their parent exited, or that started their own session or
 *       process group, which neither the descendants nor a process-group kill would reach.</li>
 * </ul>
 *
 * Every one gets SIGTERM, then SIGKILL after a short grace period.
 */
public final class ProcessTree {
    /** The environment variable that tags each process a step starts, and its descendants. */
    public static final String TAG_VARIABLE = "RUNBOOK_PROCESS_TAG";
    static final Duration GRACE = Duration.ofMillis(1500);

    private ProcessTree() {
    }

    /** Terminates {@code root} and every process tagged {@code tag}; returns when all are gone or killed. */
    public static void kill(ProcessHandle root, String tag) {
        kill(root, tag, GRACE);
    }

    /** As {@link #kill(ProcessHandle, String)}, with {@code grace} between SIGTERM and SIGKILL; root may be null. */
    public static void kill(ProcessHandle root, String tag, Duration grace) {
        Map<Long, ProcessHandle> victims = collect(root, tag);
        for (ProcessHandle p : victims.values()) {
            p.destroy();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && anyAlive(victims)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Look again: a dying parent may have started something in the meantime.
        victims.putAll(collect(root, tag));
        for (ProcessHandle p : victims.values()) {
            if (!ended(p)) {
                p.destroyForcibly();
            }
        }
    }

    private static boolean anyAlive(Map<Long, ProcessHandle> m) {
        for (ProcessHandle p : m.values()) {
            if (!ended(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a process has ended. A grandchild that outlives its parent by a moment is handed
     * to init and stays a zombie until init reaps it, which some inits (in containers above all)
     * do late or never; the JDK counts a zombie as alive, so waiting for its exit would wait out
     * the whole grace time.
     */
    public static boolean ended(ProcessHandle h) {
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

    private static Map<Long, ProcessHandle> collect(ProcessHandle root, String tag) {
        Map<Long, ProcessHandle> out = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        if (root != null && root.isAlive()) {
            out.put(root.pid(), root);
            root.descendants().forEach(p -> out.put(p.pid(), p));
        }
        if (tag != null) {
            for (long pid : tagged(tag)) {
                if (pid != self) {
                    ProcessHandle.of(pid).ifPresent(p -> out.put(pid, p));
                }
            }
        }
        out.remove(self);
        return out;
    }

    /**
     * Live processes started by the steps of run {@code runId} in another runbook process than
     * this one: what a process that died ({@code kill -9}) left behind, for resume to refuse
     * while they run. Empty where /proc is not available.
     */
    public static java.util.List<ProcessHandle> leftBy(String runId) {
        String mine = runId + "-" + ProcessHandle.current().pid() + "-";
        java.util.List<ProcessHandle> out = new java.util.ArrayList<>();
        for (long pid : scan((TAG_VARIABLE + "=" + runId + "-").getBytes(StandardCharsets.UTF_8))) {
            ProcessHandle.of(pid).filter(p -> !ended(p)).ifPresent(p -> {
                if (!tagOf(p).startsWith(mine)) {
                    out.add(p);
                }
            });
        }
        return out;
    }

    private static String tagOf(ProcessHandle p) {
        try {
            for (String e : new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "environ")),
                    StandardCharsets.UTF_8).split("\0")) {
                if (e.startsWith(TAG_VARIABLE + "=")) {
                    return e.substring(TAG_VARIABLE.length() + 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return "";
    }

    /** Pids whose environment holds {@code TAG_VARIABLE=tag}; empty where /proc is not available. */
    static java.util.List<Long> tagged(String tag) {
        return scan((TAG_VARIABLE + "=" + tag + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** Pids whose environment has an entry that starts with {@code needle}. */
    private static java.util.List<Long> scan(byte[] needle) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc)) {
            for (Path d : ds) {
                String name = d.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    byte[] env = Files.readAllBytes(d.resolve("environ"));
                    if (contains(env, needle)) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours to read: not one of our processes either way
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        // Each entry starts at offset 0 or right after a NUL.
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
