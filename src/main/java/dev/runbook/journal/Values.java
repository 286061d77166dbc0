package dev.runbook.journal;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Values from the journal as one line of text for tables. */
final class Values {
    private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private Values() {
    }

    /** Strings as they are, everything else as compact JSON. */
    static String text(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Map || v instanceof List) {
            return Json.write(v);
        }
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(v);
    }

    /** A word as a POSIX shell would need it written: quoted only when it must be. */
    static String shellWord(String s) {
        if (!s.isEmpty() && PLAIN_WORD.matcher(s).matches()) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
