package dev.runbook.lang;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as runbooks write them: 500ms, 30s, 10m, 2h, 1d, 1h30m. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

    private Durations() {
    }

    /** Null when the text is not a duration. */
    public static Duration parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return null;
        }
        Duration d = Duration.ZERO;
        Matcher m = PART.matcher(text);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return d;
    }

    /** The shortest way to write {@code d} back: 1h30m, 500ms, 0s. */
    public static String format(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long h = ms / 3_600_000;
        ms %= 3_600_000;
        long m = ms / 60_000;
        ms %= 60_000;
        long s = ms / 1000;
        ms %= 1000;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (m > 0) {
            sb.append(m).append('m');
        }
        if (s > 0) {
            sb.append(s).append('s');
        }
        if (ms > 0) {
            sb.append(ms).append("ms");
        }
        return sb.toString();
    }
}
