package dev.runbook.ssh;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpProgressMonitor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * SFTP on ssh targets (SPEC section 3, {@code sftp}). Transfers write to a temporary name in
 * the destination directory and rename at the end, so an interrupted one never leaves a
 * truncated file under the real name. sftp does not use the target's sudo (SPEC section 1).
 */
public final class Sftp {
    /** Bytes transferred so far and the total (-1 when unknown); called from the transferring thread. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (soFar, total) -> { };

        void update(long soFar, long total);
    }

    /**
     * SFTP read/write requests in flight at once. JSch's default (16 of 32 KiB) leaves a
     * loopback link mostly idle waiting for answers; 64 fills its 2 MiB channel window.
     */
    static final int REQUESTS_IN_FLIGHT = 64;

    private final SshConnections connections;
    private final int requestsInFlight;

    public Sftp(SshConnections connections) {
        this(connections, REQUESTS_IN_FLIGHT);
    }

    /** For measuring: another number of requests in flight (bench/sftp-get.sh). */
    Sftp(SshConnections connections, int requestsInFlight) {
        this.connections = connections;
        this.requestsInFlight = requestsInFlight;
    }

    /** The entries of {@code dir}, without . and .., by name. */
    public List<RemoteFile> list(SshTarget target, String dir) {
        return connections.read(target, "sftp list " + dir, session -> withChannel(session, target, dir, ch -> {
            List<RemoteFile> out = new ArrayList<>();
            for (ChannelSftp.LsEntry e : ch.ls(quote(dir))) {
                String name = e.getFilename();
                if (name.equals(".") || name.equals("..")) {
                    continue;
                }
                SftpATTRS a = e.getAttrs();
                out.add(new RemoteFile(name, a.getSize(), Integer.toUnsignedLong(a.getMTime()), a.isDir(), null));
            }
            out.sort(Comparator.comparing(RemoteFile::name));
            return out;
        }));
    }

    /** {@code path}'s attributes (a symbolic link is followed). */
    public RemoteFile stat(SshTarget target, String path) {
        return connections.read(target, "sftp stat " + path, session -> withChannel(session, target, path, ch -> {
            SftpATTRS a = ch.stat(quote(path));
            return new RemoteFile(baseName(path), a.getSize(), Integer.toUnsignedLong(a.getMTime()), a.isDir(),
                    String.format("%04o", a.getPermissions() & 07777));
        }));
    }

    /**
     * Downloads {@code from} to {@code to} (a file, or an existing directory to put it in under
     * its own name). The local file appears, mode 0600, only once complete.
     */
    public Transfer get(SshTarget target, String from, Path to, Progress progress) throws InterruptedException {
        Path dest = Files.isDirectory(to) ? to.resolve(baseName(from)) : to;
        Path parent = dest.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new SshException("sftp get " + from + ": local directory " + parent + " does not exist");
        }
        try {
            return connections.read(target, "sftp get " + from, session -> withChannel(session, target, from, ch -> {
                SftpATTRS a = ch.stat(quote(from));
                if (a.isDir()) {
                    throw new SshException("sftp get " + from + ": it is a directory on " + connections.describe(target));
                }
                Path temp = Files.createTempFile(parent, "." + dest.getFileName() + ".", ".part");
                try {
                    Counter counter = new Counter(progress, a.getSize());
                    try (OutputStream out = Files.newOutputStream(temp)) {
                        ch.get(quote(from), out, counter);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    move(temp, dest);
                    return new Transfer(from, dest.toString(), counter.bytes);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }));
        } catch (SshException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("sftp get " + from + " was interrupted");
            }
            throw e;
        }
    }

    /**
     * Uploads {@code from} to {@code to} on the target (a file, or an existing directory to put
     * it in under its own name). The remote file appears only once complete. Not repeated on a
     * dropped connection: the temporary file then stays behind, under a dot name.
     */
    public Transfer put(SshTarget target, Path from, String to, Progress progress) throws InterruptedException {
        if (!Files.isRegularFile(from)) {
            throw new SshException("sftp put: local file " + from + " does not exist or is not a file");
        }
        Session session = connections.session(target);
        try {
            return withChannel(session, target, to, ch -> {
                String dest = isDirectory(ch, to) ? join(to, from.getFileName().toString()) : to;
                String temp = join(parentOf(dest), "." + baseName(dest) + "." + UUID.randomUUID().toString().substring(0, 8) + ".part");
                long total = Files.size(from);
                Counter counter = new Counter(progress, total);
                boolean done = false;
                try {
                    try (InputStream in = Files.newInputStream(from)) {
                        ch.put(in, quote(temp), counter, ChannelSftp.OVERWRITE);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    rename(ch, temp, dest);
                    done = true;
                    return new Transfer(from.toString(), dest, counter.bytes);
                } finally {
                    if (!done) {
                        try {
                            ch.rm(quote(temp));
                        } catch (SftpException ignored) {
                            // Never created, or the connection is gone: nothing more to do.
                        }
                    }
                }
            });
        } catch (InterruptedException e) {
            throw e;
        } catch (SshException e) {
            if (Thread.interrupted()) {
                throw new InterruptedException("sftp put " + from + " was interrupted");
            }
            throw e;
        } catch (Exception e) {
            if (Thread.interrupted() || e.getCause() instanceof InterruptedIOException) {
                throw new InterruptedException("sftp put " + from + " was interrupted");
            }
            throw new SshException("sftp put " + from + " to " + connections.describe(target) + " failed: " + e.getMessage());
        }
    }

    /** Replaces {@code dest} atomically where the server has posix-rename (OpenSSH does). */
    private static void rename(ChannelSftp ch, String temp, String dest) throws SftpException {
        try {
            ch.rename(quote(temp), quote(dest));
        } catch (SftpException e) {
            // Plain SFTP v3 rename refuses to replace a file: remove it, then rename.
            if (e.id == ChannelSftp.SSH_FX_FAILURE && exists(ch, dest)) {
                ch.rm(quote(dest));
                ch.rename(quote(temp), quote(dest));
            } else {
                throw e;
            }
        }
    }

    private static void move(Path temp, Path dest) throws IOException {
        try {
            Files.move(temp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @FunctionalInterface
    private interface ChannelWork<T> {
        T run(ChannelSftp ch) throws Exception;
    }

    /** Opens an sftp channel for one operation and explains its failures in one line. */
    private <T> T withChannel(Session session, SshTarget target, String path, ChannelWork<T> work) throws Exception {
        ChannelSftp ch;
        try {
            ch = (ChannelSftp) session.openChannel("sftp");
            ch.setBulkRequests(requestsInFlight);
            ch.connect();
        } catch (JSchException e) {
            if (!session.isConnected()) {
                throw e; // a dropped connection: SshConnections.read connects again
            }
            throw new SshException("cannot start sftp on " + connections.describe(target) + ": " + e.getMessage());
        }
        try {
            return work.run(ch);
        } catch (SftpException e) {
            if (e.getCause() instanceof InterruptedIOException || Thread.interrupted()) {
                // JSch's wait for an answer saw the interrupt (and cleared it): say it as such.
                throw new InterruptedException();
            }
            if (!session.isConnected()) {
                throw e;
            }
            throw new SshException(describe(e, path, target));
        } catch (IOException e) {
            if (!session.isConnected()) {
                throw e;
            }
            throw new SshException("sftp on " + connections.describe(target) + ": " + e.getMessage());
        } finally {
            ch.disconnect();
        }
    }

    private String describe(SftpException e, String path, SshTarget target) {
        String where = connections.describe(target);
        return switch (e.id) {
            case ChannelSftp.SSH_FX_NO_SUCH_FILE -> "no such file or directory on " + where + ": " + path;
            case ChannelSftp.SSH_FX_PERMISSION_DENIED -> "permission denied on " + where + ": " + path;
            default -> "sftp on " + where + " failed for " + path + ": " + e.getMessage();
        };
    }

    private static boolean isDirectory(ChannelSftp ch, String path) {
        try {
            return ch.stat(quote(path)).isDir();
        } catch (SftpException e) {
            return false;
        }
    }

    private static boolean exists(ChannelSftp ch, String path) {
        try {
            ch.lstat(quote(path));
            return true;
        } catch (SftpException e) {
            return false;
        }
    }

    /** JSch reads * ? and \ in paths as glob syntax; a backslash makes each literal. */
    static String quote(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (char c : path.toCharArray()) {
            if (c == '\\' || c == '*' || c == '?') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.lastIndexOf('/');
        return slash < 0 ? p : p.substring(slash + 1);
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : path.substring(0, slash);
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** Counts bytes for the result and the progress callback; stops the transfer on interrupt. */
    private static final class Counter implements SftpProgressMonitor {
        private final Progress progress;
        private final long total;
        long bytes;

        Counter(Progress progress, long total) {
            this.progress = progress;
            this.total = total;
        }

        @Override
        public void init(int op, String src, String dest, long max) {
        }

        @Override
        public boolean count(long count) {
            bytes += count;
            progress.update(bytes, total);
            return !Thread.currentThread().isInterrupted();
        }

        @Override
        public void end() {
        }
    }
}
