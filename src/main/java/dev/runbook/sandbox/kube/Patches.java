package dev.runbook.sandbox.kube;

import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Locale;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The patch formats of the Kubernetes API, applied to a stored object. */
final class Patches {
    private Patches() {
    }

    enum Kind {
        JSON, MERGE, STRATEGIC, APPLY;

        static Kind of(String contentType) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].trim();
            return switch (type) {
                case "application/json-patch+json" -> JSON;
                case "application/merge-patch+json" -> MERGE;
                case "application/strategic-merge-patch+json" -> STRATEGIC;
                case "application/apply-patch+yaml", "application/apply-patch+json" -> APPLY;
                default -> throw new UnsupportedPatch(type.isEmpty() ? "(none)" : type);
            };
        }
    }

    /** A PATCH with a content type no patch format has: answered 415. */
    static final class UnsupportedPatch extends RuntimeException {
        UnsupportedPatch(String contentType) {
            super("the body of the request was in an unknown format (" + contentType + ") - accepted media types "
                    + "include: application/json-patch+json, application/merge-patch+json, "
                    + "application/strategic-merge-patch+json, application/apply-patch+yaml");
        }
    }

    /** The object {@code current} becomes under {@code body}; {@code current} is not changed. */
    static JsonNode apply(Kind kind, JsonNode current, String body) {
        return switch (kind) {
            case JSON -> jsonPatch(current, body);
            case MERGE -> mergePatch(current.deepCopy(), Json.parse(body));
            case STRATEGIC -> strategicMerge(current.deepCopy(), Json.parse(body));
            case APPLY -> strategicMerge(current.deepCopy(), parseApplyBody(body));
        };
    }

    private static JsonNode jsonPatch(JsonNode current, String body) {
        JsonNode patch = Json.parse(body);
        if (!patch.isArray()) {
            throw new Json.BadRequest("a JSON patch must be an array of operations");
        }
        try {
            return JsonPatch.apply(patch, current);
        } catch (RuntimeException e) {
            throw new Json.BadRequest("the JSON patch cannot be applied: " + e.getMessage());
        }
    }

    /** RFC 7386: null removes a key, objects merge, anything else (arrays included) replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target instanceof ObjectNode o ? o : Json.object();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            if (entry.getValue().isNull()) {
                result.remove(entry.getKey());
            } else {
                JsonNode existing = result.get(entry.getKey());
                result.set(entry.getKey(), mergePatch(existing == null ? Json.object() : existing, entry.getValue()));
            }
        }
        return result;
    }

    /**
     * Strategic merge, simplified for the sandbox: RFC 7386 merge, except that lists of objects
     * that all have a {@code name} are merged element by element by name, {@code $patch: delete}
     * removes an element or key and {@code $patch: replace} replaces; other {@code $} directives
     * (element order, retain keys) are dropped.
     */
    static JsonNode strategicMerge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        String directive = patch.path("$patch").asString("");
        if (directive.equals("replace")) {
            return withoutDirectives((ObjectNode) patch.deepCopy());
        }
        ObjectNode result = target instanceof ObjectNode o ? o : Json.object();
        for (Map.Entry<String, JsonNode> entry : patch.properties()) {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.startsWith("$")) {
                continue;
            }
            if (value.isNull() || value.isObject() && "delete".equals(value.path("$patch").asString(""))) {
                result.remove(key);
            } else if (value.isArray() && result.get(key) instanceof ArrayNode existing && namedElements(value)
                    && namedElements(existing)) {
                result.set(key, mergeByName(existing, (ArrayNode) value));
            } else if (value.isObject()) {
                JsonNode existing = result.get(key);
                result.set(key, strategicMerge(existing == null ? Json.object() : existing, value));
            } else {
                result.set(key, value.deepCopy());
            }
        }
        return result;
    }

    private static boolean namedElements(JsonNode array) {
        for (JsonNode element : array) {
            if (!element.isObject() || !element.path("name").isString()) {
                return false;
            }
        }
        return true;
    }

    private static ArrayNode mergeByName(ArrayNode existing, ArrayNode patch) {
        ArrayNode result = existing.deepCopy();
        for (JsonNode element : patch) {
            String name = element.path("name").asString();
            int index = indexOfName(result, name);
            boolean delete = "delete".equals(element.path("$patch").asString(""));
            if (delete) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, strategicMerge(result.get(index), element));
            } else {
                result.add(withoutDirectives((ObjectNode) element.deepCopy()));
            }
        }
        return result;
    }

    private static int indexOfName(ArrayNode array, String name) {
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).path("name").asString("").equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode withoutDirectives(ObjectNode node) {
        node.remove(node.propertyNames().stream().filter(k -> k.startsWith("$")).toList());
        return node;
    }

    /** A server-side apply body is YAML (JSON being YAML too). */
    static JsonNode parseApplyBody(String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (RuntimeException notJson) {
            try {
                Object yaml = new Load(LoadSettings.builder().build()).loadFromString(body);
                return Json.MAPPER.valueToTree(yaml);
            } catch (RuntimeException e) {
                throw new Json.BadRequest("the apply patch is neither JSON nor YAML: " + e.getMessage());
            }
        }
    }
}
