package dev.runbook.actions.sftp;

import dev.runbook.actions.ssh.SshPreflight;
import dev.runbook.actions.ssh.SshTargets;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.proc.OutputListener;
import dev.runbook.ssh.RemoteFile;
import dev.runbook.ssh.Sftp;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import dev.runbook.ssh.Transfer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code sftp} on an ssh target (SPEC section 3). list and stat are reads and run in a dry run
 * too; get and put change files, so a dry run only says what they would transfer, after
 * checking that the source is there. Transfers of big files report their progress as output
 * lines.
 */
public final class SftpHandler implements ActionHandler {
    /** Transfers at least this big say how far they are, every {@link #PROGRESS_STEP} bytes. */
    static final long PROGRESS_FROM = 8L * 1024 * 1024;
    static final long PROGRESS_STEP = 16L * 1024 * 1024;

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Sftp f = (Action.Sftp) step.action();
        String op = f.op();
        String path = ctx.string(f.path(), op);
        String from = ctx.string(f.from(), op + ".from");
        String to = ctx.string(f.to(), op + ".to");
        if ((op.equals("list") || op.equals("stat")) && (path == null || path.isEmpty())) {
            throw new ActionException("sftp " + op + " needs a path");
        }
        if ((op.equals("get") || op.equals("put")) && (from == null || from.isEmpty() || to == null || to.isEmpty())) {
            throw new ActionException("sftp " + op + " needs both 'from' and 'to'");
        }
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("on", f.on());
                d.put("op", op);
                switch (op) {
                    case "get" -> d.put("would", "download " + from + " from " + f.on() + " to " + to);
                    case "put" -> d.put("would", "upload " + from + " to " + to + " on " + f.on());
                    default -> d.put("path", path);
                }
                if (from != null) {
                    d.put("from", from);
                    d.put("to", to);
                }
                return d;
            }

            /** Checks that the source is there, as a real run would find first; transfers nothing. */
            @Override
            public Object rehearse(ActionContext c) throws ActionException, InterruptedException {
                Map<String, Object> d = new LinkedHashMap<>();
                @SuppressWarnings("unchecked")
                Map<String, Object> described = (Map<String, Object>) describe();
                d.putAll(described);
                if (op.equals("get")) {
                    SshTarget target = target(c, f);
                    RemoteFile remote = call(() -> new Sftp(SshTargets.connections(c)).stat(target, from));
                    if (remote.dir()) {
                        throw new ActionException("sftp get " + from + ": it is a directory on " + f.on());
                    }
                    d.put("bytes", remote.size());
                } else if (op.equals("put")) {
                    Path local = c.localPath(from);
                    if (!Files.isRegularFile(local)) {
                        throw new ActionException("sftp put: local file " + from + " does not exist or is not a file");
                    }
                    d.put("bytes", size(local));
                }
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException, InterruptedException {
                SshTarget target = target(c, f);
                Sftp sftp = new Sftp(SshTargets.connections(c));
                return switch (op) {
                    case "list" -> Map.of("files", files(call(() -> sftp.list(target, path))));
                    case "stat" -> stat(call(() -> sftp.stat(target, path)));
                    case "get" -> transfer(c, () -> sftp.get(target, from, c.localPath(to), progress(c.output(), "downloaded")),
                            null, to);
                    case "put" -> transfer(c, () -> sftp.put(target, c.localPath(from), to, progress(c.output(), "uploaded")),
                            from, null);
                    default -> throw new ActionException("unknown sftp operation '" + op + "'");
                };
            }
        };
    }

    private static SshTarget target(ActionContext c, Action.Sftp f) throws ActionException {
        return SshTargets.resolve(c, SshTargets.named(c, f.on()));
    }

    @FunctionalInterface
    private interface SftpCall<T> {
        T call() throws InterruptedException;
    }

    private static <T> T call(SftpCall<T> work) throws ActionException, InterruptedException {
        try {
            return work.call();
        } catch (SshException e) {
            throw new ActionException(e.getMessage());
        }
    }

    /** A transfer, stopped (its temporary file removed) when the run is interrupted. */
    private static Map<String, Object> transfer(ActionContext c, SftpCall<Transfer> work, String localFrom, String localTo)
            throws ActionException, InterruptedException {
        Thread self = Thread.currentThread();
        AutoCloseable stop = c.run().onInterrupt(self::interrupt);
        try {
            Transfer t = call(work);
            Map<String, Object> r = new LinkedHashMap<>();
            // The local side as the step gave it: relative paths stay relative to the working directory.
            r.put("from", localFrom == null ? t.from() : shown(c, localFrom, t.from()));
            r.put("to", localTo == null ? t.to() : shown(c, localTo, t.to()));
            r.put("bytes", t.bytes());
            return r;
        } finally {
            try {
                stop.close();
            } catch (Exception e) {
                // only removes the stopper
            }
        }
    }

    /**
     * The local path a transfer reports ({@code done}, resolved against the run's working
     * directory), relative again when the step gave a relative one ({@code given}).
     */
    private static String shown(ActionContext c, String given, String done) {
        Path p = Path.of(done);
        Path work = c.options().workDir();
        return !Path.of(given).isAbsolute() && p.startsWith(work) && !p.equals(work) ? work.relativize(p).toString() : done;
    }

    private static List<Map<String, Object>> files(List<RemoteFile> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RemoteFile rf : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", rf.name());
            m.put("size", rf.size());
            m.put("mtime", rf.mtime());
            m.put("dir", rf.dir());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> stat(RemoteFile rf) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", rf.name());
        m.put("size", rf.size());
        m.put("mtime", rf.mtime());
        m.put("dir", rf.dir());
        m.put("mode", rf.mode());
        return m;
    }

    /** Progress lines for big transfers only: a small one ends before anyone would read them. */
    static Sftp.Progress progress(OutputListener out, String verb) {
        return new Sftp.Progress() {
            private long next = PROGRESS_STEP;

            @Override
            public void update(long soFar, long total) {
                if (total >= 0 && total < PROGRESS_FROM) {
                    return;
                }
                if (soFar >= next) {
                    next = (soFar / PROGRESS_STEP + 1) * PROGRESS_STEP;
                    out.line(verb + " " + mib(soFar) + (total >= 0 ? " of " + mib(total)
                            + " (" + (total == 0 ? 100 : soFar * 100 / total) + "%)" : ""), false);
                }
            }
        };
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static long size(Path p) throws ActionException {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            throw new ActionException("sftp put: cannot read local file " + p + ": " + e.getMessage());
        }
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        Action.Sftp f = (Action.Sftp) step.action();
        return f.on() == null ? List.of() : SshPreflight.check(ctx, f.on(), List.of());
    }
}
