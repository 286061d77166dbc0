package dev.runbook.lang;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the files a user names on the command line (runbook, params, answers) without trusting
 * them: only a regular file is opened, since opening a FIFO nobody writes to blocks forever and
 * a device such as /dev/zero never ends; and the size limit is enforced while reading, so a file
 * that is too big is refused after reading one byte past the limit, never after filling memory.
 */
public final class SourceFiles {
    /** The most a runbook, params or answers file may hold. */
    public static final int MAX_BYTES = 64 * 1024 * 1024;

    private SourceFiles() {
    }

    /** A file that is not read, and why, in words for the user. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    public static byte[] read(Path path) throws IOException {
        return read(path, MAX_BYTES);
    }

    static byte[] read(Path path, int limit) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new Refused("is " + kind(path, attrs) + ", not a regular file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw new Refused("the file is larger than " + (limit / (1024 * 1024)) + " MiB");
            }
            return bytes;
        }
    }

    /** What a file that is not a regular file is: "a FIFO", "a character device", ... */
    public static String kind(Path path, BasicFileAttributes attrs) {
        if (attrs.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    /** Why reading failed, without repeating the path the message is already about. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
