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
        return find(name, path, null);
    }

    /**
     * As {@link #find(String, String)}, with a relative name ({@code ./bin/x}) and relative PATH
     * entries ({@code bin}, or an empty one: the current directory) resolved against
     * {@code workDir} (null: this process's current directory), as a shell started there would.
     * A relative name found is returned absolute; a name with a '/' that is absolute is
     * returned as given.
     */
    public static String find(String name, String path, Path workDir) {
        if (name == null || name.isEmpty()) {
            return null;
        }
        Path base = workDir == null ? Path.of("").toAbsolutePath() : workDir;
        if (name.indexOf('/') >= 0) {
            Path p = Path.of(name);
            Path at = base.resolve(p);
            return Files.isRegularFile(at) && Files.isExecutable(at) ? (p.isAbsolute() ? name : at.toString()) : null;
        }
        // Only lookups through absolute directories are cached: what a relative entry finds
        // depends on the working directory, and runs in one process may each have their own.
        String key = path + '\0' + name;
        String hit = CACHE.get(key);
        if (hit != null) {
            return hit;
        }
        if (path == null) {
            return null;
        }
        boolean relativeEntries = false;
        for (String dir : path.split(File.pathSeparator)) {
            Path d = Path.of(dir.isEmpty() ? "." : dir);
            if (!d.isAbsolute()) {
                relativeEntries = true;
                d = base.resolve(d);
            }
            Path p = d.resolve(name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                String found = p.toString();
                if (!relativeEntries) {
                    CACHE.put(key, found);
                }
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
