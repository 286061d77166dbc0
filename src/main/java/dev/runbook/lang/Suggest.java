package dev.runbook.lang;

import java.util.Collection;
import java.util.List;

/** "Did you mean" and plain words for patterns, so messages read as sentences. */
public final class Suggest {
    private Suggest() {
    }

    /** The closest candidate within a small edit distance, or null. */
    public static String closest(String word, Collection<String> candidates) {
        if (word == null) {
            return null;
        }
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word.toLowerCase(java.util.Locale.ROOT), c.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        // One edit turns any one- or two-letter word into another: suggest only a case change there.
        int limit = word.length() <= 2 ? 0 : Math.max(1, Math.min(3, word.length() / 3));
        return bestD <= limit ? best : null;
    }

    /** Damerau-Levenshtein (optimal string alignment) distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** Explains a schema pattern in words. */
    public static String patternWords(String pattern, String key, List<Object> path) {
        return switch (pattern) {
            case "^[a-z0-9][a-z0-9-]*$" -> "use lower-case letters, digits and dashes, starting with a letter or digit";
            case "^[A-Za-z_][A-Za-z0-9_]*$" -> "use letters, digits and underscores, starting with a letter or underscore";
            case "^(([0-9]+(ms|s|m|h|d))+|\\$\\{\\{.*\\}\\})$" -> "a duration is a number with a unit: 500ms, 30s, 10m, 2h, 1h30m";
            case "^\\$\\{\\{.*\\}\\}$" -> "a count is a whole number, or one ${{ }} of params and vars";
            case "^0?[0-7]{3}$" -> "a file mode is octal, like \"0600\" or \"644\"";
            default -> "it must match " + pattern;
        };
    }
}
