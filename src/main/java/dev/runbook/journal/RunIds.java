package dev.runbook.journal;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Run ids: {@code 20261123-031500-restore-k8s-3fa2}, the start time in UTC to the second, the
 * runbook's name and four random hex digits. They sort by start time as plain strings, read
 * well in a change ticket, and are safe as a directory name.
 */
public final class RunIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("[0-9]{8}-[0-9]{6}-[a-z0-9][a-z0-9-]*-[0-9a-f]{4}");
    /** Long names are cut so that ids stay readable in a table; the name is in the journal anyway. */
    static final int MAX_NAME = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static String next(String runbookName, Instant startedAt) {
        byte[] b = new byte[2];
        RANDOM.nextBytes(b);
        return STAMP.format(startedAt) + "-" + slug(runbookName) + "-" + HexFormat.of().formatHex(b);
    }

    /** True for a string this class could have made: also what keeps "../x" out of a path. */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    static String slug(String name) {
        String s = name == null ? "" : name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
        s = s.replaceAll("^-+", "").replaceAll("-+$", "");
        if (s.length() > MAX_NAME) {
            s = s.substring(0, MAX_NAME).replaceAll("-+$", "");
        }
        return s.isEmpty() ? "run" : s;
    }
}
