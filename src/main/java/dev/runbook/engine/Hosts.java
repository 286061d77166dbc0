package dev.runbook.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** This machine's name, for the record of a run. Never asks DNS: that can hang for seconds. */
final class Hosts {
    private Hosts() {
    }

    static String name() {
        try {
            Path p = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(p)) {
                String s = Files.readString(p).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            }
        } catch (Exception e) {
            // fall back below
        }
        String h = System.getenv("HOSTNAME");
        return h != null && !h.isBlank() ? h : "localhost";
    }
}
