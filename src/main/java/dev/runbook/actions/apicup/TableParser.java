package dev.runbook.actions.apicup;

import dev.runbook.engine.ActionException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the column output of apicup (for example {@code list-backups}) into rows keyed by the
 * header's names. A value may hold single spaces ({@code 2018-09-26 18:45:01.522014136 +0000
 * UTC} under Timestamp), so columns are separated by two or more blanks or a tab. When a row
 * does not split into as many cells as the header has names (an empty cell, a value that
 * filled its column), the row is cut at the header's column positions instead.
 */
public final class TableParser {
    private static final Pattern GAP = Pattern.compile("\\t+ *| {2,}\\t*");

    private TableParser() {
    }

    public static List<Map<String, Object>> parse(String text) throws ActionException {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            String s = l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
            if (!s.isBlank()) {
                lines.add(s.replace("\t", "    ").stripTrailing());
            }
        }
        if (lines.isEmpty()) {
            return rows;
        }
        String header = lines.get(0);
        List<String> names = split(header);
        List<Integer> starts = starts(header, names);
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            List<String> cells = split(line);
            if (cells.size() != names.size()) {
                cells = cut(line, starts);
            }
            if (cells == null) {
                throw new ActionException("parse: table: line " + (n + 1) + " does not split into the "
                        + names.size() + " columns of the header (" + String.join(", ", names) + "): " + line.strip());
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                row.put(names.get(i), cells.get(i));
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String c : GAP.split(line.strip())) {
            out.add(c.strip());
        }
        return out;
    }

    /** Where each header name starts. */
    private static List<Integer> starts(String header, List<String> names) {
        List<Integer> out = new ArrayList<>();
        int from = 0;
        for (String name : names) {
            int at = header.indexOf(name, from);
            out.add(at);
            from = at + name.length();
        }
        return out;
    }

    /**
     * Cuts a row at the header's column starts; null when a cut would fall inside a word (the
     * row is not aligned with the header).
     */
    private static List<String> cut(String line, List<Integer> starts) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            int a = starts.get(i);
            int b = i + 1 < starts.size() ? starts.get(i + 1) : Integer.MAX_VALUE;
            if (a > 0 && a < line.length() && line.charAt(a - 1) != ' ' && line.charAt(a) != ' ') {
                return null;
            }
            String cell = a >= line.length() ? "" : line.substring(a, Math.min(b, line.length()));
            out.add(cell.strip());
        }
        return out;
    }
}
