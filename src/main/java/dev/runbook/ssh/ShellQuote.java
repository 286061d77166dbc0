package dev.runbook.ssh;

import java.util.regex.Pattern;

/** POSIX shell quoting: any string as one word that the shell passes on byte for byte. */
final class ShellQuote {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /** {@code 'text'}, each {@code '} written as {@code '\''}: inside single quotes nothing is special. */
    static String word(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** As {@link #word}, but a word with nothing special stays bare (for display). */
    static String wordIfNeeded(String s) {
        return PLAIN.matcher(s).matches() ? s : word(s);
    }
}
