package dev.runbook.runbooktest;

import dev.runbook.proc.ProcessTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code runbook run ...} as a child process of this same program: the same java, the same
 * class path, main class {@code dev.runbook.cli.Main}. A child, not a call in this process, so
 * that each test has its own working directory, environment and signal handling, and a run that
 * hangs can be killed, its whole process tree with it, without taking the other tests down.
 */
public final class ChildRun {
    /** Console lines kept per run: enough for the tail shown on failure. */
    static final int KEPT_LINES = 200;
    static final String MAIN_CLASS = "dev.runbook.cli.Main";

    /** How the child ended: its exit code (-1 when killed at the time limit) and its console's last lines. */
    public record Result(int exitCode, boolean timedOut, List<String> console) {
        public List<String> tail(int lines) {
            return console.subList(Math.max(0, console.size() - lines), console.size());
        }
    }

    /**
     * Runs under way. A {@code runbook test} stopped by SIGTERM (a CI job cancelled) takes them
     * down with it: its children are in its process group only for signals sent to the group,
     * and a run left behind would keep its sandbox, controllers and state directory going.
     */
    private static final java.util.Set<Process> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : LIVE) {
                ProcessTree.kill(p.toHandle(), null);
            }
        }, "runbook-test-stop-children"));
    }

    private ChildRun() {
    }

    /** The command that starts this program's CLI with {@code args}. */
    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        // The flags of the runbook launcher: a run is a short-lived process.
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss2m", "-XX:-UsePerfData"));
        if (Runtime.version().feature() >= 24) {
            // CEL's protobuf runtime uses sun.misc.Unsafe; without this the JVM warns on stderr.
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.addAll(inheritedCacheFlags(ProcessHandle.current().info().arguments().orElse(new String[0])));
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add(MAIN_CLASS);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * The class cache this JVM was started with (by the {@code runbook} launcher: an AOT cache or
     * a class-data archive made for sandbox runs), with the logging flags that keep a cache the
     * JVM cannot use quiet. The children run the same jar on the same JVM, so the cache fits
     * them, and it saves about a third of each child's start-up CPU, which is most of what a
     * short scenario costs.
     */
    static List<String> inheritedCacheFlags(String[] jvmArgs) {
        List<String> flags = new ArrayList<>();
        for (String a : jvmArgs) {
            if (a.startsWith("-XX:AOTCache=") || a.startsWith("-XX:SharedArchiveFile=")
                    || a.equals("-Xlog:disable") || a.equals("-Xlog:all=error:stderr")) {
                flags.add(a);
            }
            if (a.equals("-jar") || a.equals("-cp") || a.equals("-classpath")) {
                break; // what follows belongs to the program, not the JVM
            }
        }
        return flags;
    }

    /** The child runs in another working directory: relative class path entries would not resolve. */
    static String absoluteClassPath(String classPath) {
        List<String> out = new ArrayList<>();
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                out.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        return String.join(java.io.File.pathSeparator, out);
    }

    static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .filter(c -> Path.of(c).getFileName().toString().startsWith("java"))
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * Runs the CLI with {@code args} in {@code workDir}, without a terminal and with stdin closed,
     * killing it and everything it started after {@code limit}.
     */
    public static Result run(List<String> args, Path workDir, Map<String, String> extraEnv, Duration limit) {
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().remove("RUNBOOK_STATE_DIR");
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(extraEnv);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RunbookTestException("runbook: cannot start the run of the test: " + e.getMessage());
        }
        LIVE.add(process);
        try {
            return await(process, limit);
        } finally {
            LIVE.remove(process);
        }
    }

    private static Result await(Process process, Duration limit) {
        try {
            process.getOutputStream().close(); // no answers from stdin: prompts need --answer/--yes
        } catch (IOException e) {
            // the child already went away: its exit code tells
        }
        Deque<String> lines = new ArrayDeque<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(process, lines));
        boolean finished;
        try {
            finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            ProcessTree.kill(process.toHandle(), null);
            Thread.currentThread().interrupt();
            throw new RunbookTestException("runbook: interrupted while a test was running");
        }
        if (!finished) {
            ProcessTree.kill(process.toHandle(), null);
        }
        try {
            reader.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<String> console;
        synchronized (lines) {
            console = new ArrayList<>(lines);
        }
        if (!finished) {
            console.add("runbook test: the run did not end within " + limit.toSeconds() + "s: it was stopped");
            return new Result(-1, true, console);
        }
        return new Result(process.exitValue(), false, console);
    }

    private static void readLines(Process process, Deque<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the stream closes when the process is killed: what was read is kept
        }
    }
}
