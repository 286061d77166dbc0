package dev.runbook.journal;

import dev.runbook.proc.Who;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process at a time per run. The run directory's {@code lock} file is locked by the OS
 * ({@link FileChannel#tryLock}) for as long as the process lives, and holds a line of JSON
 * saying who holds it: pid, host, user, since when, which command.
 *
 * <p>The OS lock is the truth: it is released when its process ends in any way, {@code kill -9}
 * included. A lock file that still names a holder while its OS lock is free was left by a
 * process that died: the next process takes it over and says so ({@link #tookOver}). On a file
 * system without locks, the holder's pid is checked instead when it is on this host.
 *
 * <p>POSIX locks belong to the process and are dropped when any descriptor of the file is
 * closed, so this JVM never opens a lock file that it holds a second time: {@link #HELD}
 * answers for those.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE_NAME = "lock";
    /** How long to wait out another process that holds the OS lock only for a moment (a probe). */
    private static final long SETTLE_MILLIS = 1000;
    private static final Map<Path, RunLock> HELD = new ConcurrentHashMap<>();

    /** Who holds (or held) a run: as written in its lock file. */
    public record Holder(long pid, String host, String user, Instant since, String command) {
        /** "pid 4242 on host db1 (runbook resume, user alice), since 2026-11-23 03:15:00Z" */
        public String describe() {
            StringBuilder sb = new StringBuilder("pid ").append(pid).append(" on host ").append(host);
            if (command != null || user != null) {
                sb.append(" (");
                if (command != null) {
                    sb.append("runbook ").append(command);
                }
                if (user != null) {
                    sb.append(command != null ? ", " : "").append("user ").append(user);
                }
                sb.append(")");
            }
            if (since != null) {
                sb.append(", since ").append(Times.text(since));
            }
            return sb.toString();
        }

        boolean isThisHost() {
            return Who.host().equals(host);
        }

        boolean isAliveHere() {
            return isThisHost() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private final Holder me;
    private final Holder previous;

    private RunLock(Path key, FileChannel channel, FileLock lock, Holder me, Holder previous) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
        this.me = me;
        this.previous = previous;
    }

    /**
     * Takes the run in {@code runDir} for this process, or throws {@link RunLockedException}
     * naming the live holder. {@code command} is "run" or "resume", shown to whoever is refused.
     */
    public static RunLock acquire(Path runDir, String command) {
        Path key = runDir.toAbsolutePath().normalize();
        String runId = String.valueOf(key.getFileName());
        Holder me = new Holder(Who.pid(), Who.host(), Who.user(), Instant.now(), command);
        synchronized (HELD) {
            RunLock mine = HELD.get(key);
            if (mine != null) {
                throw locked(runId, mine.me);
            }
            Path file = key.resolve(FILE_NAME);
            FileChannel ch = null;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = null;
                boolean osLocks = true;
                long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
                while (true) {
                    try {
                        lock = ch.tryLock();
                    } catch (OverlappingFileLockException e) {
                        throw locked(runId, me);
                    } catch (IOException e) {
                        osLocks = false; // e.g. a network file system without lock support
                    }
                    if (lock != null || !osLocks) {
                        break;
                    }
                    Holder h = read(ch);
                    // Someone holds the OS lock. A holder that has written its name and is not
                    // known dead is refused at once; otherwise it may be a probe or a process
                    // that has not written its name yet: give it a moment.
                    if (h != null && !(h.isThisHost() && !h.isAliveHere())) {
                        throw locked(runId, h);
                    }
                    if (System.nanoTime() > deadline) {
                        throw locked(runId, h != null && h.isAliveHere() ? h : null);
                    }
                    sleep(25);
                }
                Holder previous = read(ch);
                if (!osLocks && previous != null && (!previous.isThisHost() || previous.isAliveHere())) {
                    throw locked(runId, previous);
                }
                write(ch, me);
                RunLock l = new RunLock(key, ch, lock, me, previous);
                HELD.put(key, l);
                ch = null;
                return l;
            } catch (IOException e) {
                throw new JournalException("cannot lock the run " + runId + " (" + file + "): " + Journal.reason(e), e);
            } finally {
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException e) {
                        // nothing held
                    }
                }
            }
        }
    }

    /**
     * The live holder of the run in {@code runDir}, if any. Used by {@code runs} and
     * {@code status} to tell a running run from one whose process died.
     */
    public static Optional<Holder> holder(Path runDir) {
        Path key = runDir.toAbsolutePath().normalize();
        RunLock mine = HELD.get(key);
        if (mine != null) {
            return Optional.of(mine.me);
        }
        Path file = key.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock probe;
            try {
                probe = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (IOException e) {
                Holder h = read(ch);
                return h != null && h.isAliveHere() ? Optional.of(h) : Optional.empty();
            } catch (OverlappingFileLockException e) {
                return Optional.empty();
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            Holder h = read(ch);
            return Optional.of(h != null ? h : new Holder(0, "unknown", null, null, null));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The holder whose lock this process took over because it had died, if any. */
    public Optional<Holder> tookOver() {
        return Optional.ofNullable(previous);
    }

    /** A line for the operator when a dead holder's lock was taken over; null otherwise. */
    public String takeOverNote() {
        return previous == null ? null
                : "note: took over the lock of run " + key.getFileName() + " from " + previous.describe()
                        + ": that process is gone";
    }

    public Holder holder() {
        return me;
    }

    /** Releases the run: clears the holder (so that nobody reports a take-over) and the OS lock. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (HELD.get(key) != this) {
                return;
            }
            try {
                channel.truncate(0);
                channel.force(true);
            } catch (IOException e) {
                // The OS lock is released below anyway; a stale name only adds a note later.
            }
            try {
                if (lock != null) {
                    lock.release();
                }
                channel.close();
            } catch (IOException e) {
                // Closing the descriptor releases the lock in any case.
            } finally {
                HELD.remove(key);
            }
        }
    }

    private static RunLockedException locked(String runId, Holder h) {
        String who = h == null ? "a process that has not written its name yet" : h.describe();
        return new RunLockedException("run " + runId + " is in use by another process: " + who + ".\n"
                + "  Wait for it to end, or stop it. A lock left by a process that died is taken over automatically.", h);
    }

    private static void write(FileChannel ch, Holder me) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", me.pid());
        m.put("host", me.host());
        m.put("user", me.user());
        m.put("since", me.since().toString());
        m.put("command", me.command());
        byte[] bytes = (Json.write(m) + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long pos = 0;
        while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
        }
        ch.force(true);
    }

    /** The holder named in the file; null when the file is empty (released) or unreadable. */
    @SuppressWarnings("unchecked")
    private static Holder read(FileChannel ch) {
        try {
            long size = ch.size();
            if (size == 0 || size > 64 * 1024) {
                return null;
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            long pos = 0;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    break;
                }
                pos += n;
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return null;
            }
            Object v = Json.normalize(Json.MAPPER.readValue(text, Object.class));
            if (!(v instanceof Map)) {
                return null;
            }
            Map<String, Object> m = (Map<String, Object>) v;
            Instant since = null;
            if (m.get("since") instanceof String s) {
                try {
                    since = Instant.parse(s);
                } catch (DateTimeParseException e) {
                    since = null;
                }
            }
            return new Holder(m.get("pid") instanceof Long p ? p : 0, String.valueOf(m.getOrDefault("host", "unknown")),
                    m.get("user") instanceof String u ? u : null, since, m.get("command") instanceof String c ? c : null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted while waiting for the run's lock");
        }
    }
}
