package dev.runbook.sandbox.kube;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The one JSON mapper of the package, and the few tree helpers the server needs. */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw new BadRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static ObjectNode parseObject(String text) {
        JsonNode node = parse(text);
        if (!(node instanceof ObjectNode object)) {
            throw new BadRequest("the request body is not a JSON object");
        }
        return object;
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Text at a dotted path such as {@code status.phase}; "" when absent, as Kubernetes compares it. */
    static String textAt(JsonNode node, String dottedPath) {
        JsonNode current = node;
        for (String part : dottedPath.split("\\.")) {
            if (current == null || !current.isObject()) {
                return "";
            }
            current = current.get(part);
        }
        if (current == null || current.isNull() || current.isContainer()) {
            return "";
        }
        return current.asString();
    }

    static ObjectNode metadata(JsonNode object) {
        JsonNode metadata = object.get("metadata");
        return metadata instanceof ObjectNode m ? m : null;
    }

    static String name(JsonNode object) {
        return textAt(object, "metadata.name");
    }

    static String namespace(JsonNode object) {
        return textAt(object, "metadata.namespace");
    }

    /** A request the server refuses as malformed: answered 400 with this message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }
}
