package dev.runbook.sandbox.kube;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The JSONPath of a CRD's {@code additionalPrinterColumns}: {@code .a.b}, {@code .a[0]},
 * {@code .a[*].b}, {@code .a[?(@.type=="Ready")].status}, with or without the enclosing
 * {@code {}} and leading {@code $}. That is what printer columns use; anything else finds
 * nothing (an empty cell), as a path that matches nothing does on the real server.
 */
final class JsonPaths {
    private JsonPaths() {
    }

    /** Every value the path finds, in document order. */
    static List<JsonNode> find(JsonNode root, String path) {
        String p = path.strip();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1).strip();
        }
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        List<JsonNode> current = new ArrayList<>(List.of(root));
        int i = 0;
        while (i < p.length() && !current.isEmpty()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                String key = p.substring(i + 1, end);
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode n : current) {
                    if (key.isEmpty() || key.equals("*")) {
                        n.forEach(next::add);
                    } else if (n.has(key) && !n.get(key).isNull()) {
                        next.add(n.get(key));
                    }
                }
                current = next;
                i = end;
            } else if (c == '[') {
                int end = closing(p, i);
                if (end < 0) {
                    return List.of();
                }
                current = select(current, p.substring(i + 1, end).strip());
                i = end + 1;
            } else {
                return List.of();
            }
        }
        return current;
    }

    private static int closing(String p, int open) {
        int depth = 0;
        for (int i = open; i < p.length(); i++) {
            if (p.charAt(i) == '[') {
                depth++;
            } else if (p.charAt(i) == ']' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static List<JsonNode> select(List<JsonNode> current, String selector) {
        List<JsonNode> next = new ArrayList<>();
        for (JsonNode n : current) {
            if (!n.isArray()) {
                continue;
            }
            if (selector.equals("*")) {
                n.forEach(next::add);
            } else if (selector.matches("-?\\d+")) {
                int index = Integer.parseInt(selector);
                int at = index < 0 ? n.size() + index : index;
                if (at >= 0 && at < n.size()) {
                    next.add(n.get(at));
                }
            } else if (selector.startsWith("?(@.") && selector.endsWith(")")) {
                String condition = selector.substring(4, selector.length() - 1);
                int eq = condition.indexOf("==");
                if (eq < 0) {
                    continue;
                }
                String field = condition.substring(0, eq).strip();
                String wanted = unquote(condition.substring(eq + 2).strip());
                for (JsonNode item : n) {
                    List<JsonNode> found = find(item, "." + field);
                    if (!found.isEmpty() && found.get(0).asString("").equals(wanted)) {
                        next.add(item);
                    }
                }
            }
        }
        return next;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
