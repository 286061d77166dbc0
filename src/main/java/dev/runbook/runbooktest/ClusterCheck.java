package dev.runbook.runbooktest;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks {@code expect.cluster} against the simulated cluster as the run left it, the
 * sandbox's {@code world/.state/cluster.json} ({@code {"resourceVersion": N, "objects": [...]}}).
 */
final class ClusterCheck {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private ClusterCheck() {
    }

    static void check(List<TestSpec.ClusterExpect> expects, Path clusterFile, List<String> out) {
        List<JsonNode> objects = load(clusterFile, out);
        if (objects == null) {
            return;
        }
        for (TestSpec.ClusterExpect e : expects) {
            String what = "cluster " + e.describe();
            List<JsonNode> matches = matching(objects, e);
            if (e.absent()) {
                if (!matches.isEmpty()) {
                    out.add(what + ": expected absent, got " + names(matches));
                }
                continue;
            }
            if (matches.isEmpty()) {
                out.add(what + ": expected such an object, got none");
                continue;
            }
            if (e.path() == null) {
                continue;
            }
            for (JsonNode o : matches) {
                JsonNode got = at(o, e.path());
                if (!sameValue(e.equals(), got)) {
                    out.add(what + (matches.size() > 1 ? " (" + o.path("metadata").path("name").asString() + ")" : "")
                            + ": " + e.path() + " expected " + text(e.equals()) + ", got " + shown(got));
                }
            }
        }
    }

    private static List<JsonNode> load(Path clusterFile, List<String> out) {
        if (clusterFile == null || !Files.isRegularFile(clusterFile)) {
            out.add("cluster: the run left no simulated cluster to check (no world/.state/cluster.json in its run directory)");
            return null;
        }
        try {
            JsonNode root = MAPPER.readTree(Files.readString(clusterFile));
            List<JsonNode> objects = new ArrayList<>();
            root.path("objects").forEach(objects::add);
            return objects;
        } catch (IOException | JacksonException e) {
            out.add("cluster: the simulated cluster " + clusterFile.getFileName() + " cannot be read: " + e.getMessage());
            return null;
        }
    }

    static List<JsonNode> matching(List<JsonNode> objects, TestSpec.ClusterExpect e) {
        Pattern name = glob(e.name());
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode o : objects) {
            JsonNode meta = o.path("metadata");
            if (o.path("kind").asString("").equalsIgnoreCase(e.kind())
                    && name.matcher(meta.path("name").asString("")).matches()
                    && (e.namespace() == null || e.namespace().equals(meta.path("namespace").asString("")))) {
                out.add(o);
            }
        }
        return out;
    }

    /** A shell-like glob: {@code *} any run of characters, {@code ?} one; nothing else is special. */
    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The node at a dotted path ({@code status.conditions.0.type}: a number indexes a list); missing when absent. */
    static JsonNode at(JsonNode o, String dotted) {
        JsonNode n = o;
        for (String part : dotted.split("\\.")) {
            n = n.isArray() && part.matches("\\d+") ? n.path(Integer.parseInt(part)) : n.path(part);
        }
        return n;
    }

    /**
     * YAML scalars against JSON values, as a reader would compare them: numbers by value
     * ({@code 1} equals {@code 1.0}), everything else by its text ({@code "1"} in YAML equals
     * the number 1, {@code true} equals the boolean).
     */
    static boolean sameValue(Object expected, JsonNode got) {
        if (got == null || got.isMissingNode()) {
            return false;
        }
        if (expected == null) {
            return got.isNull();
        }
        BigDecimal e = number(text(expected));
        BigDecimal g = got.isValueNode() ? number(got.asString("")) : null;
        if (e != null && g != null) {
            return e.compareTo(g) == 0;
        }
        return got.isValueNode() && !got.isNull() && text(expected).equals(got.asString(""));
    }

    private static BigDecimal number(String s) {
        try {
            return s.isBlank() ? null : new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(Object v) {
        return String.valueOf(v);
    }

    private static String shown(JsonNode got) {
        if (got == null || got.isMissingNode()) {
            return "nothing there";
        }
        return got.isString() ? got.asString() : got.toString();
    }

    private static String names(List<JsonNode> objects) {
        return String.join(", ", objects.stream().map(o -> o.path("metadata").path("name").asString("")).toList());
    }
}
