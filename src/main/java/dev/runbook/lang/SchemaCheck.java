package dev.runbook.lang;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stage 2a: the published JSON Schema ({@code schemas/runbook.schema.json}, bundled in the jar)
 * applied to the YAML tree. Each violation becomes a sentence at the offending node's line and
 * column, never a JSON Pointer.
 */
public final class SchemaCheck {
    public static final String RESOURCE = "/schemas/runbook.schema.json";

    private static volatile Schema schema;
    private static volatile String schemaText;

    private SchemaCheck() {
    }

    /** The schema exactly as published. */
    public static String text() {
        if (schemaText == null) {
            try (InputStream in = SchemaCheck.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the JSON Schema is missing from the build");
                }
                schemaText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return schemaText;
    }

    private static Schema schema() {
        if (schema == null) {
            synchronized (SchemaCheck.class) {
                if (schema == null) {
                    schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                            .getSchema(text(), com.networknt.schema.InputFormat.JSON);
                }
            }
        }
        return schema;
    }

    /**
     * Builds the validator and runs it once over a small document, so that its classes are
     * loaded and initialised. Called on a background thread while the CLI starts.
     */
    static void warmUp() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("apiVersion", "runbook/v1");
        doc.putArray("steps").addObject().put("id", "Warm-up").putObject("shell").put("command", "x");
        schema().validate(doc);
    }

    /** Reports every schema violation of {@code root} to {@code problems}. */
    public static void check(YNode root, Problems problems) {
        List<Error> errors = schema().validate(toJson(root));
        for (Error e : errors) {
            report(root, e, problems);
        }
        reportOutOfRange(root, problems);
    }

    /** Every number of the file that no field could hold, whatever field it is in. */
    private static void reportOutOfRange(YNode n, Problems problems) {
        if (n instanceof YMap m) {
            for (YMap.Entry e : m.entries()) {
                reportOutOfRange(e.value(), problems);
            }
        } else if (n instanceof YSeq s) {
            for (YNode i : s.items()) {
                reportOutOfRange(i, problems);
            }
        } else if (n instanceof YScalar sc && sc.rangeProblem() != null) {
            problems.error(sc.pos(), sc.rangeProblem());
        }
    }

    static JsonNode toJson(YNode n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof YMap m) {
            ObjectNode o = f.objectNode();
            for (YMap.Entry e : m.entries()) {
                o.set(e.name(), toJson(e.value()));
            }
            return o;
        } else if (n instanceof YSeq s) {
            ArrayNode a = f.arrayNode();
            for (YNode i : s.items()) {
                a.add(toJson(i));
            }
            return a;
        }
        Object v = ((YScalar) n).value();
        if (v == null) {
            return f.nullNode();
        } else if (v instanceof String s) {
            return f.textNode(s);
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof BigInteger b) {
            return f.numberNode(b);
        } else if (v instanceof Double d) {
            // JSON has no infinity; an out-of-range number is reported on its own (reportOutOfRange).
            return f.numberNode(d.isInfinite() ? Math.copySign(Double.MAX_VALUE, d) : d);
        }
        return f.textNode(String.valueOf(v));
    }

    // ---- turning a violation into a sentence -------------------------------------------------

    private static void report(YNode root, Error e, Problems problems) {
        List<Object> path = segments(e.getInstanceLocation());
        YNode node = find(root, path);
        String where = describePlace(root, path);
        String key = path.isEmpty() ? null : lastName(path);
        String subject = key == null ? "the value" : "'" + key + "'";
        JsonNode schemaNode = e.getSchemaNode();
        String kw = e.getKeyword() == null ? "" : e.getKeyword();
        if (node instanceof YScalar sc && sc.rangeProblem() != null) {
            return; // said once, with the range of any number, by reportOutOfRange
        }
        switch (kw) {
            case "additionalProperties" -> {
                String prop = e.getProperty();
                Pos at = node instanceof YMap m && prop != null ? m.keyPos(prop) : pos(node);
                List<String> known = new ArrayList<>();
                JsonNode props = e.getSchemaNode() == null ? null : parentProperties(e);
                if (props != null) {
                    props.propertyNames().forEach(known::add);
                }
                String hint = Suggest.closest(prop, known);
                if (where.equals("params") || where.equals("targets")) {
                    problems.error(at, "unknown key '" + prop + "' in " + where);
                } else if (where.equals("group") && hint == null) {
                    problems.error(at, "unknown key '" + prop + "' in group",
                            "a group is a list of steps, or {steps: [...]}; its title, doc and when go on the group's step itself");
                } else {
                    problems.error(at, "unknown key '" + prop + "' in " + where
                            + (hint != null ? " (did you mean '" + hint + "'?)" : ""),
                            known.isEmpty() ? new String[0] : new String[] {"allowed keys: " + String.join(", ", known)});
                }
            }
            case "required" -> {
                String prop = e.getProperty();
                if (prop == null && e.getArguments() != null && e.getArguments().length > 0) {
                    prop = String.valueOf(e.getArguments()[0]);
                }
                String[] hint = switch (String.valueOf(prop)) {
                    case "apiVersion" -> new String[] {"a runbook starts with apiVersion: runbook/v1"};
                    case "id" -> new String[] {"every step has an id: lower-case letters, digits and dashes, unique in the file"};
                    case "steps" -> path.isEmpty() ? new String[] {"steps: the list of what the runbook does, at least one"} : new String[0];
                    default -> new String[0];
                };
                problems.error(pos(node), "missing required key '" + prop + "' in " + where, hint);
            }
            case "type" -> {
                String expected = typeWords(schemaNode);
                Object last = path.isEmpty() ? null : path.get(path.size() - 1);
                String got = node == null ? "this" : node.kind();
                if (last instanceof Integer && path.size() >= 2) {
                    String list = String.valueOf(path.get(path.size() - 2));
                    if (STEP_LISTS.contains(list)) {
                        problems.error(pos(node), "a step must be a map with an id and one action, not " + got);
                    } else {
                        problems.error(pos(node), "each element of '" + list + "' in " + describePlace(root, path.subList(0, path.size() - 2))
                                + " must be " + expected + ", not " + got);
                    }
                    return;
                }
                if (path.size() == 2 && "params".equals(path.get(0))) {
                    problems.error(pos(node), "param '" + last + "' must be a map of its settings (type, default, description, ...) or empty, not " + got,
                            "to give it a default, write " + last + ": {default: " + shown(node) + "}");
                    return;
                }
                if (path.size() == 2 && "targets".equals(path.get(0))) {
                    problems.error(pos(node), "target '" + last + "' must be a map with 'ssh' or 'kubernetes', not " + got);
                    return;
                }
                problems.error(pos(node), subject + " in " + parentPlace(root, path) + " must be " + expected
                        + ", not " + (node == null ? "this" : node.kind()) + typeHint(key, node, expected));
            }
            case "enum" -> {
                List<String> options = new ArrayList<>();
                if (schemaNode != null) {
                    schemaNode.forEach(x -> options.add(x.asString()));
                }
                problems.error(pos(node), subject + " must be one of " + String.join(", ", options)
                        + ", not " + shown(node));
            }
            case "const" -> problems.error(pos(node), subject + " must be '" + (schemaNode == null ? "" : schemaNode.asString())
                    + "', not " + shown(node));
            case "pattern" -> {
                String pattern = schemaNode == null ? "" : schemaNode.asString();
                String what = key == null ? "the value" : key.equals("id") ? "step id" : key;
                problems.error(pos(node), what + " " + shown(node) + " is not valid: " + Suggest.patternWords(pattern, key, path));
            }
            case "propertyNames" -> {
                // The error is reported on the key itself.
                String name = e.getProperty();
                Pos at = node instanceof YMap m && name != null ? m.keyPos(name) : pos(node);
                problems.error(at, "name '" + name + "' in " + where + " is not valid: "
                        + Suggest.patternWords(patternOf(e), where, path));
            }
            case "minItems" -> problems.error(pos(node), subject + " must not be empty");
            case "maximum" -> problems.error(pos(node), subject + " must be at most " + (schemaNode == null ? "" : schemaNode.asString())
                    + ", not " + shown(node));
            case "uniqueItems" -> {
                YNode twice = node instanceof YSeq seq ? secondOccurrence(seq) : node;
                String in = key == null ? "the list" : key;
                problems.error(pos(twice), (twice instanceof YScalar ts ? "'" + ts.text() + "'" : "a value") + " is listed twice in " + in);
            }
            case "minimum" -> problems.error(pos(node), subject + " must be at least " + (schemaNode == null ? "0" : schemaNode.asString())
                    + ", not " + shown(node));
            case "minProperties", "maxProperties" -> {
                if (path.size() == 2 && "targets".equals(path.get(0))) {
                    problems.error(pos(node), "target '" + path.get(1) + "' must have exactly one of 'ssh' or 'kubernetes'");
                } else {
                    problems.error(pos(node), "wrong number of keys in " + where);
                }
            }
            default -> problems.error(pos(node), stripPath(e.getMessage()));
        }
    }

    /** The first item of a list that equals an earlier one. */
    private static YNode secondOccurrence(YSeq seq) {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        for (YNode i : seq.items()) {
            if (!seen.add(i.toPlain())) {
                return i;
            }
        }
        return seq;
    }

    private static String patternOf(Error e) {
        JsonNode n = e.getSchemaNode();
        if (n != null && n.has("pattern")) {
            return n.get("pattern").asString();
        }
        return n == null ? "" : n.asString();
    }

    private static JsonNode parentProperties(Error e) {
        // The schema node of an additionalProperties error is the keyword's own value; its
        // sibling "properties" lists what is allowed. Find it through the evaluation path.
        NodePath loc = e.getSchemaLocation().getFragment();
        JsonNode root = schemaTree();
        JsonNode cur = root;
        for (int i = 0; i < loc.getNameCount() - 1; i++) {
            Object el = loc.getElement(i);
            cur = el instanceof Integer idx ? cur.get(idx) : cur.get(String.valueOf(el));
            if (cur == null) {
                return null;
            }
        }
        return cur.get("properties");
    }

    private static volatile JsonNode schemaTree;

    private static JsonNode schemaTree() {
        if (schemaTree == null) {
            schemaTree = schema().getSchemaNode();
        }
        return schemaTree;
    }

    private static String stripPath(String m) {
        if (m == null) {
            return "invalid value";
        }
        return m.replaceFirst("^\\$[^:]*: ", "").replaceFirst("^/[^:]*: ", "");
    }

    private static final List<String> STEP_LISTS = List.of("steps", "onFailure", "group");

    private static String shown(YNode n) {
        if (n instanceof YScalar s) {
            String text = s.text().length() > 60 ? s.text().substring(0, 57) + "..." : s.text();
            return s.value() instanceof String ? "'" + text.replace("\n", "\\n") + "'" : String.valueOf(s.value());
        }
        return n == null ? "nothing" : n.kind();
    }

    private static String typeWords(JsonNode typeNode) {
        List<String> words = new ArrayList<>();
        if (typeNode == null) {
            return "another type";
        }
        Iterator<JsonNode> it = typeNode.isArray() ? typeNode.iterator() : List.of(typeNode).iterator();
        while (it.hasNext()) {
            String t = it.next().asString();
            words.add(switch (t) {
                case "object" -> "a map";
                case "array" -> "a list";
                case "string" -> "a string";
                case "integer" -> "an integer";
                case "number" -> "a number";
                case "boolean" -> "a boolean";
                default -> t;
            });
        }
        words.remove("a number");
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }

    private static String typeHint(String key, YNode node, String expected) {
        if ("mode".equals(key) && node instanceof YScalar s && !(s.value() instanceof String)) {
            return " (quote it: mode: \"0600\")";
        }
        if (expected.contains("a boolean") && node instanceof YScalar s && s.value() instanceof String str
                && List.of("yes", "no", "on", "off", "y", "n").contains(str.toLowerCase(java.util.Locale.ROOT))) {
            return " (write true or false: in YAML 1.2, '" + str + "' is a string)";
        }
        if ("command".equals(key) && node instanceof YScalar) {
            return " (give argv as a list, or use 'script' for a shell command line)";
        }
        return "";
    }

    static List<Object> segments(NodePath p) {
        List<Object> out = new ArrayList<>();
        if (p == null) {
            return out;
        }
        for (int i = 0; i < p.getNameCount(); i++) {
            out.add(p.getElement(i));
        }
        return out;
    }

    static YNode find(YNode root, List<Object> path) {
        YNode cur = root;
        for (Object seg : path) {
            if (cur instanceof YMap m) {
                cur = m.get(String.valueOf(seg));
            } else if (cur instanceof YSeq s && seg instanceof Integer i && i < s.items().size()) {
                cur = s.items().get(i);
            } else {
                return cur;
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    private static Pos pos(YNode n) {
        return n == null ? Pos.START : n.pos();
    }

    private static String lastName(List<Object> path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i) instanceof String s) {
                return s;
            }
        }
        return null;
    }

    /** Words for the map at {@code path}: "the runbook", "step 'restore'", "shell", "param 'x'". */
    static String describePlace(YNode root, List<Object> path) {
        if (path.isEmpty()) {
            return "the runbook";
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer) {
            YNode n = find(root, path);
            if (n instanceof YMap m && m.get("id") instanceof YScalar id && id.value() instanceof String s) {
                return "step '" + s + "'";
            }
            String list = path.size() >= 2 ? String.valueOf(path.get(path.size() - 2)) : "";
            return list.equals("steps") || list.equals("onFailure") || list.equals("group") ? "step" : "list item";
        }
        String name = String.valueOf(last);
        if (path.size() >= 2) {
            Object parent = path.get(path.size() - 2);
            if ("params".equals(parent)) {
                return "param '" + name + "'";
            }
            if ("targets".equals(parent)) {
                return "target '" + name + "'";
            }
        }
        return name;
    }

    private static String parentPlace(YNode root, List<Object> path) {
        return path.isEmpty() ? "the runbook" : describePlace(root, path.subList(0, path.size() - 1));
    }

    /** For tests: the names a schema object allows, keyed by $defs name ("" for the root). */
    public static Map<String, List<String>> allowedKeys() {
        Map<String, List<String>> out = new java.util.TreeMap<>();
        JsonNode root = schemaTree();
        out.put("", names(root.get("properties")));
        JsonNode defs = root.get("$defs");
        defs.propertyNames().forEach(d -> {
            JsonNode p = defs.get(d).get("properties");
            if (p != null) {
                out.put(d, names(p));
            }
        });
        return out;
    }

    private static List<String> names(JsonNode props) {
        List<String> l = new ArrayList<>();
        props.propertyNames().forEach(l::add);
        return l;
    }
}
