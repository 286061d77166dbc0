package dev.runbook.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ProcessDestroyer;

/**
 * Runs local processes for one run, through commons-exec. Adds what commons-exec leaves out:
 * a timeout or an interruption stops the whole process tree ({@link ProcessTree}), not just
 * the direct child; the executable is looked up on the step's own PATH; output is delivered
 * line by line while it is produced; a background process that keeps stdout open after its
 * parent exited does not hang the step.
 *
 * <p>Timeouts share one timer thread per run instead of one watchdog thread per process.
 */
public final class ProcessRunner implements AutoCloseable {
    /** How long to wait for the output to close once the process has exited. */
    static final Duration STREAM_DRAIN = Duration.ofMillis(500);

    private final String tagPrefix;
    private final AtomicLong counter = new AtomicLong();
    private final Set<Running> active = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private ScheduledExecutorService timer;

    /** Laid over this process's environment for every process, beneath the step's own env (a sandbox's PATH ...). */
    private final Map<String, String> baseEnv;

    /**
     * The run's working directory: a process's cwd when its spec names none, what a relative cwd,
     * a relative executable ({@code ./bin/x}) and a relative PATH entry resolve against.
     */
    private final Path workDir;

    public ProcessRunner(String runId) {
        this(runId, Map.of(), null);
    }

    /** {@code workDir} null: this process's current directory. */
    public ProcessRunner(String runId, Map<String, String> baseEnv, Path workDir) {
        this.tagPrefix = runId + "-" + ProcessHandle.current().pid() + "-";
        this.baseEnv = Map.copyOf(baseEnv);
        this.workDir = workDir == null ? Path.of("").toAbsolutePath() : workDir.toAbsolutePath();
    }

    /** The process could not be started; the message says why in the operator's words. */
    public static final class StartException extends IOException {
        public StartException(String message) {
            super(message);
        }
    }

    /**
     * Starts the process, waits for it (or its timeout) and returns how it ended. Lines are
     * passed to {@code listener} as they come.
     *
     * @throws StartException       the executable or the working directory is missing
     * @throws InterruptedException the run was interrupted ({@link #stopAll}) before or while it ran
     */
    public ProcessOutcome run(ProcessSpec spec, OutputListener listener) throws IOException, InterruptedException {
        if (stopped) {
            throw new InterruptedException("the run was interrupted");
        }
        String path = spec.env().containsKey("PATH") ? spec.env().get("PATH")
                : baseEnv.containsKey("PATH") ? baseEnv.get("PATH") : System.getenv("PATH");
        String argv0 = spec.argv().get(0);
        String exe = Executables.find(argv0, path, workDir);
        if (exe == null) {
            throw new StartException(argv0.indexOf('/') >= 0
                    ? "cannot run '" + argv0 + "': no such executable file"
                    : "cannot run '" + argv0 + "': not found on PATH");
        }
        Path cwd = spec.cwd() == null ? workDir : workDir.resolve(spec.cwd());
        if (spec.cwd() != null && !Files.isDirectory(cwd)) {
            throw new StartException("working directory '" + spec.cwd() + "' does not exist");
        }
        CommandLine cl = new ExactCommandLine(exe, spec.argv());
        String tag = tagPrefix + counter.incrementAndGet();
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(baseEnv);
        env.putAll(spec.env());
        env.put(ProcessTree.TAG_VARIABLE, tag);

        LineSink out = new LineSink(false, listener);
        LineSink err = new LineSink(true, listener);
        PooledStreams streams = new PooledStreams(out, err,
                spec.stdin() == null ? null : spec.stdin().getBytes(StandardCharsets.UTF_8), STREAM_DRAIN);
        Running running = new Running(tag);
        DefaultExecutor executor = DefaultExecutor.builder()
                .setExecuteStreamHandler(streams)
                .setWorkingDirectory(cwd.toFile())
                .get();
        executor.setExitValues(null); // every exit code is a result, judged by the caller
        executor.setProcessDestroyer(running);
        active.add(running);
        if (spec.timeout() != null) {
            running.deadline = timer().schedule(() -> running.stop(true), Math.max(1, spec.timeout().toMillis()),
                    TimeUnit.MILLISECONDS);
        }
        int exit;
        String warning = null;
        try {
            exit = executor.execute(cl, env);
            if (streams.lingering() && !running.killed) {
                warning = "a background process started by this step still holds its output open; its later output is not shown";
            }
        } catch (IOException e) {
            if (running.process == null) {
                throw new StartException("cannot run '" + argv0 + "': " + reason(e));
            }
            throw e;
        } finally {
            active.remove(running);
            if (running.deadline != null) {
                running.deadline.cancel(false);
            }
            running.awaitKill();
            out.finish();
            err.finish();
            out.detach();
            err.detach();
        }
        if (out.truncated() || err.truncated()) {
            warning = (warning == null ? "" : warning + "; ") + "output beyond " + (LineSink.MAX_CAPTURE >> 20)
                    + " MiB was shown but not kept";
        }
        if (running.killed && !running.timedOut) {
            throw new InterruptedException("the run was interrupted");
        }
        return new ProcessOutcome(exit, out.text(), err.text(), running.timedOut, running.killed, warning);
    }

    private static String reason(IOException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int i = m.indexOf("error=");
        return i >= 0 ? m.substring(i) : m;
    }

    /** Stops every running process tree and refuses new processes: the run is being interrupted. */
    public void stopAll() {
        stopped = true;
        for (Running r : active) {
            r.stop(false);
        }
    }

    private synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "runbook-timeouts");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            timer = t;
        }
        return timer;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /**
     * A command line whose arguments reach the process exactly as given. commons-exec's own
     * {@link CommandLine} trims every argument and may quote it: {@code "  x  "} would arrive
     * as {@code x}. The launcher only asks for {@link #toStrings()}, so that is where the exact
     * argv is handed over.
     */
    private static final class ExactCommandLine extends CommandLine {
        private final String[] argv;

        ExactCommandLine(String exe, java.util.List<String> argv) {
            super(exe);
            this.argv = argv.toArray(new String[0]);
            this.argv[0] = exe;
        }

        @Override
        public String[] toStrings() {
            return argv.clone();
        }

        @Override
        public String[] getArguments() {
            return java.util.Arrays.copyOfRange(argv, 1, argv.length);
        }

        @Override
        public String toString() {
            return String.join(" ", argv);
        }
    }

    /**
     * One running process. commons-exec hands the started {@link Process} to its
     * {@link ProcessDestroyer} right after launch, which is how we learn its pid.
     */
    private static final class Running implements ProcessDestroyer {
        final String tag;
        volatile Process process;
        volatile boolean timedOut;
        volatile boolean killed;
        volatile ScheduledFuture<?> deadline;
        private Thread killer;

        Running(String tag) {
            this.tag = tag;
        }

        @Override
        public synchronized boolean add(Process p) {
            process = p;
            if (killed) {
                startKill();
            }
            return true;
        }

        @Override
        public boolean remove(Process p) {
            return true;
        }

        @Override
        public int size() {
            return process == null ? 0 : 1;
        }

        synchronized void stop(boolean timeout) {
            if (timeout && process != null && !process.isAlive()) {
                return; // it ended just as the time ran out: not a timeout
            }
            if (timeout) {
                timedOut = true;
            }
            killed = true;
            if (process != null) {
                startKill();
            }
        }

        private void startKill() {
            if (killer != null) {
                return;
            }
            Process p = process;
            killer = new Thread(() -> ProcessTree.kill(p.toHandle(), tag), "runbook-kill");
            killer.setDaemon(true);
            killer.start();
        }

        /** A stopped step returns only once its whole tree is gone. */
        void awaitKill() {
            Thread t;
            synchronized (this) {
                t = killer;
            }
            if (t != null) {
                try {
                    t.join(ProcessTree.GRACE.toMillis() + 3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
