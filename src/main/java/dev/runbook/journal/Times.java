package dev.runbook.journal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Times and durations as people read them in {@code runs}, {@code status} and reports. Times
 * are UTC, like run ids and the journal: a run may be started in one time zone, resumed from
 * another, and read in a ticket by a third.
 */
public final class Times {
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /** "2026-11-23 03:15:00Z"; empty for null. */
    public static String text(Instant t) {
        return t == null ? "" : TEXT.format(t);
    }

    /** "03:15:00Z" when {@code t} is on the same UTC day as {@code day}, else the full text. */
    public static String clock(Instant t, Instant day) {
        if (t == null) {
            return "";
        }
        if (day != null && TEXT.format(t).substring(0, 10).equals(TEXT.format(day).substring(0, 10))) {
            return CLOCK.format(t);
        }
        return text(t);
    }

    /** "850ms", "12s", "3m 05s", "2h 10m 00s". */
    public static String duration(long millis) {
        if (millis < 0) {
            millis = 0;
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        long s = millis / 1000;
        if (s < 60) {
            long tenths = (millis % 1000) / 100;
            return s < 10 && tenths > 0 ? s + "." + tenths + "s" : s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return String.format("%dm %02ds", m, s % 60);
        }
        return String.format("%dh %02dm %02ds", m / 60, m % 60, s % 60);
    }
}
