package dev.runbook.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes a test left behind: live (not zombie) processes whose command line holds a
 * marker the test put there. Read from /proc, so re-parented and detached processes count too.
 */
public final class LiveProcesses {
    private LiveProcesses() {
    }

    public static List<Long> withMarker(String marker) throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (cmd.contains(marker) && !zombie) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // gone
                }
            }
        }
        return out;
    }

    /** Kills what {@link #withMarker} finds. */
    public static void kill(String marker) throws IOException {
        for (long pid : withMarker(marker)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
