package dev.runbook.proc;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds executables the way a shell does: a name with a '/' is a path, anything else is
 * looked up in PATH. The JDK would search the PATH of this process even when a step sets its
 * own PATH, and would fail with a cryptic error; resolving here gives the right PATH and a
 * clear message, and the cache makes the thousandth lookup of {@code /bin/true} free.
 */
public final class Executables {
    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private Executables() {
    }

    /** The absolute path of {@code name} on {@code path} (a PATH value), or null when not found. */
    public static String find(String name, String path) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        if (name.indexOf('/') >= 0) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? name : null;
        }
        String key = path + '\0' + name;
        String hit = CACHE.get(key);
        if (hit != null) {
            return hit;
        }
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                String found = p.toAbsolutePath().toString();
                CACHE.put(key, found);
                return found;
            }
        }
        return null;
    }

    /** {@link #find} on this process's PATH. */
    public static String find(String name) {
        return find(name, System.getenv("PATH"));
    }
}
