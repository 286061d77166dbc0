package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.file.root.RootedPath;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.server.SftpErrorStatusDataHandler;
import org.apache.sshd.sftp.server.SftpSubsystemEnvironment;

/**
 * The file system a simulated host shows over SFTP: its folder, seen as {@code /}.
 *
 * <p>MINA's rooted file system already keeps {@code ..} from climbing above the folder, but
 * only by looking at the path's text: a symbolic link inside the folder that points outside it
 * would be followed by the operating system. Here every path is also walked link by link, the
 * way the kernel will resolve it, and refused if any step leaves the folder. A link that stays
 * inside (relative, or absolute to a place inside the folder) works as usual.
 */
final class ConfinedFileSystem {
    /** The kernel's own limit on links followed while resolving one path (Linux MAXSYMLINKS). */
    private static final int MAX_LINKS = 40;

    private ConfinedFileSystem() {
    }

    /**
     * A path refused because of where it leads. The SFTP client is told the message with
     * "permission denied", a status every SFTP version knows.
     */
    static final class RefusedPathException extends InvalidPathException {
        RefusedPathException(String shownPath, String reason) {
            super(shownPath, reason);
        }

        @Override
        public String getMessage() {
            return "sandbox: " + getInput() + " " + getReason();
        }
    }

    /** Sends a refused path's own message, instead of MINA's canned "Invalid filename". */
    static SftpErrorStatusDataHandler errorMessages() {
        return new SftpErrorStatusDataHandler() {
            @Override
            public int resolveSubStatus(SftpSubsystemEnvironment sftp, int id, Throwable e, int cmd, Object... args) {
                return refusal(e) != null
                        ? SftpConstants.SSH_FX_PERMISSION_DENIED
                        : SftpErrorStatusDataHandler.super.resolveSubStatus(sftp, id, e, cmd, args);
            }

            @Override
            public String resolveErrorMessage(
                    SftpSubsystemEnvironment sftp, int id, Throwable e, int subStatus, int cmd, Object... args) {
                RefusedPathException refusal = refusal(e);
                return refusal != null
                        ? refusal.getMessage()
                        : SftpErrorStatusDataHandler.super.resolveErrorMessage(sftp, id, e, subStatus, cmd, args);
            }
        };
    }

    private static RefusedPathException refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RefusedPathException refused) {
                return refused;
            }
        }
        return null;
    }

    /** One file system per SFTP session, as MINA asks for. */
    static FileSystemFactory factory(Path realRoot) {
        return new FileSystemFactory() {
            @Override
            public Path getUserHomeDir(SessionContext session) {
                return realRoot;
            }

            @Override
            public FileSystem createFileSystem(SessionContext session) throws IOException {
                return new Provider().newFileSystem(realRoot, Map.of());
            }
        };
    }

    private static final class Provider extends RootedFileSystemProvider {
        @Override
        protected Path resolveLocalPath(RootedPath path) {
            Path local = super.resolveLocalPath(path);
            requireInside(path.getFileSystem().getRoot(), local, path.toString());
            return local;
        }
    }

    /**
     * Follows {@code local} component by component from {@code root} (a real path, no links in
     * it) and throws if the walk ever leaves {@code root}. Components that do not exist yet end
     * the link checks: nothing below them can be a link.
     */
    static void requireInside(Path root, Path local, String shownPath) {
        if (!local.startsWith(root)) {
            throw outside(shownPath);
        }
        Deque<Path> pending = new ArrayDeque<>();
        if (local.getNameCount() > root.getNameCount()) {
            local.subpath(root.getNameCount(), local.getNameCount()).forEach(pending::addLast);
        }
        Path current = root;
        int linksFollowed = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst().toString();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (current.equals(root)) {
                    throw outside(shownPath);
                }
                current = current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (++linksFollowed > MAX_LINKS) {
                throw new RefusedPathException(shownPath, "has too many levels of symbolic links");
            }
            Path target = readLink(next, shownPath);
            if (target.isAbsolute()) {
                if (!target.startsWith(root)) {
                    throw outside(shownPath);
                }
                current = root;
                target = target.getNameCount() == root.getNameCount()
                        ? null
                        : target.subpath(root.getNameCount(), target.getNameCount());
            }
            if (target != null) {
                for (int i = target.getNameCount() - 1; i >= 0; i--) {
                    pending.addFirst(target.getName(i));
                }
            }
        }
    }

    private static Path readLink(Path link, String shownPath) {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new RefusedPathException(shownPath, "has a symbolic link that cannot be read");
        }
    }

    private static RefusedPathException outside(String shownPath) {
        return new RefusedPathException(shownPath, "leads outside the simulated host's folder");
    }
}
