package dev.runbook.proc;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** Who is running: the OS user, the host and the process id, as runs and locks record them. */
public final class Who {
    private static volatile String host;

    private Who() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    public static String user() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }

    /**
     * The host name. The kernel's name first: {@code InetAddress.getLocalHost()} asks DNS,
     * which may hang for seconds on a machine whose network is the thing being repaired.
     */
    public static String host() {
        String h = host;
        if (h == null) {
            h = lookUpHost();
            host = h;
        }
        return h;
    }

    private static String lookUpHost() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String s = Files.readString(kernel).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        for (String var : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String s = System.getenv(var);
            if (s != null && !s.isBlank()) {
                return s.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
