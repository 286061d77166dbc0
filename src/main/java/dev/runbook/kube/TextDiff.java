package dev.runbook.kube;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts, line by line, as {@code diff -u} prints it. */
public final class TextDiff {
    /** Past this many line pairs the middle is shown as replaced whole, to bound time and memory. */
    private static final long MAX_CELLS = 4_000_000L;

    private TextDiff() {
    }

    private record Edit(char op, String line, int aLine, int bLine) {
    }

    /** The diff with {@code context} lines around each change; "" when the texts are equal. */
    public static String unified(String a, String b, String aName, String bName, int context) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        List<Edit> edits = edits(x, y);
        if (edits.stream().allMatch(e -> e.op() == ' ')) {
            return "";
        }
        StringBuilder out = new StringBuilder("--- ").append(aName).append('\n').append("+++ ").append(bName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - context);
            // One hunk goes on while the next change is at most 2 * context unchanged lines away.
            int lastChange = i;
            for (int j = i; j < edits.size() && j - lastChange <= 2 * context; j++) {
                if (edits.get(j).op() != ' ') {
                    lastChange = j;
                }
            }
            int end = Math.min(edits.size() - 1, lastChange + context);
            hunk(out, edits.subList(start, end + 1));
            i = end + 1;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Edit> hunk) {
        int aStart = 0;
        int bStart = 0;
        int aLen = 0;
        int bLen = 0;
        for (Edit e : hunk) {
            if (e.op() != '+') {
                aStart = aStart == 0 ? e.aLine() : aStart;
                aLen++;
            }
            if (e.op() != '-') {
                bStart = bStart == 0 ? e.bLine() : bStart;
                bLen++;
            }
        }
        out.append("@@ -").append(aStart).append(',').append(aLen).append(" +").append(bStart).append(',').append(bLen).append(" @@\n");
        for (Edit e : hunk) {
            out.append(e.op()).append(e.line()).append('\n');
        }
    }

    private static List<Edit> edits(List<String> x, List<String> y) {
        int prefix = 0;
        while (prefix < x.size() && prefix < y.size() && x.get(prefix).equals(y.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < x.size() - prefix && suffix < y.size() - prefix
                && x.get(x.size() - 1 - suffix).equals(y.get(y.size() - 1 - suffix))) {
            suffix++;
        }
        List<Edit> out = new ArrayList<>();
        for (int k = 0; k < prefix; k++) {
            out.add(new Edit(' ', x.get(k), k + 1, k + 1));
        }
        middle(x.subList(prefix, x.size() - suffix), y.subList(prefix, y.size() - suffix), prefix, out);
        for (int k = suffix; k > 0; k--) {
            int ai = x.size() - k;
            int bi = y.size() - k;
            out.add(new Edit(' ', x.get(ai), ai + 1, bi + 1));
        }
        return out;
    }

    /** The longest common subsequence of the changed middle, walked into edits. */
    private static void middle(List<String> x, List<String> y, int offset, List<Edit> out) {
        int n = x.size();
        int m = y.size();
        if ((long) n * m > MAX_CELLS) {
            for (int i = 0; i < n; i++) {
                out.add(new Edit('-', x.get(i), offset + i + 1, offset + 1));
            }
            for (int j = 0; j < m; j++) {
                out.add(new Edit('+', y.get(j), offset + n + 1, offset + j + 1));
            }
            return;
        }
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = x.get(i).equals(y.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && x.get(i).equals(y.get(j))) {
                out.add(new Edit(' ', x.get(i), offset + i + 1, offset + j + 1));
                i++;
                j++;
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // Removed lines before added ones, as diff prints a replacement.
                out.add(new Edit('-', x.get(i), offset + i + 1, offset + j + 1));
                i++;
            } else {
                out.add(new Edit('+', y.get(j), offset + i + 1, offset + j + 1));
                j++;
            }
        }
    }
}
