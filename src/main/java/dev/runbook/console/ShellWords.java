package dev.runbook.console;

import java.util.List;
import java.util.regex.Pattern;

/** An argv shown the way an operator could paste it into a shell. */
final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellWords() {
    }

    static String join(List<?> argv) {
        StringBuilder sb = new StringBuilder();
        for (Object o : argv) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            String s = String.valueOf(o);
            sb.append(PLAIN.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }
}
