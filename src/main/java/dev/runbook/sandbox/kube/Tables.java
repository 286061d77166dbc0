package dev.runbook.sandbox.kube;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code meta.k8s.io} Table answers to a get or list that asks for one in its Accept header, as
 * {@code kubectl get} does: without them kubectl can print only NAME and AGE. Built-in kinds get
 * the columns of {@link TableColumns}; a custom kind its CRD's {@code additionalPrinterColumns}
 * (AGE alone when it declares none, as the real server does); any other kind Name and Created At.
 */
final class Tables {
    private final ResourceRegistry registry;

    Tables(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** The Table version the Accept header asks for first ({@code v1} or {@code v1beta1}); empty for none. */
    static Optional<String> wanted(String accept) {
        if (accept == null) {
            return Optional.empty();
        }
        for (String part : accept.split(",")) {
            String p = part.replace(" ", "").toLowerCase(Locale.ROOT);
            if (p.startsWith("application/json") && p.contains(";as=table") && p.contains(";g=meta.k8s.io")) {
                if (p.contains(";v=v1beta1")) {
                    return Optional.of("v1beta1");
                }
                if (p.contains(";v=v1")) {
                    return Optional.of("v1");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The Table of an object or list the server would have answered.
     *
     * @param includeObject {@code None}, {@code Metadata} (the default) or {@code Object}: what each row carries
     */
    ObjectNode render(ResourceType type, JsonNode answer, String version, String includeObject, Instant now) {
        List<TableColumns.Column> columns = new ArrayList<>();
        boolean events = type.qualifiedPlural().equals("events");
        if (!events) {
            columns.add(TableColumns.NAME);
        }
        List<TableColumns.Column> own = TableColumns.of(type.qualifiedPlural(), now);
        Optional<JsonNode> printer = registry.printerColumns(type);
        if (printer.isPresent()) {
            printer.get().forEach(c -> columns.add(printerColumn(c, now)));
        } else if (own != null) {
            columns.addAll(own);
        } else if (!registry.isBuiltIn(type)) {
            columns.add(TableColumns.Column.of("Age", "date", o -> TableColumns.age(o.path("metadata").path("creationTimestamp"), now)));
        } else {
            columns.addAll(TableColumns.fallback());
        }

        if (events) {
            columns.add(TableColumns.EVENT_NAME);
        }

        ObjectNode table = Json.object().put("kind", "Table").put("apiVersion", "meta.k8s.io/" + version);
        ObjectNode metadata = table.putObject("metadata");
        if (answer.path("metadata").has("resourceVersion")) {
            metadata.put("resourceVersion", answer.path("metadata").path("resourceVersion").asString());
        }
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (TableColumns.Column c : columns) {
            definitions.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = table.putArray("rows");
        List<JsonNode> objects = new ArrayList<>();
        if (answer.has("items")) {
            answer.path("items").forEach(objects::add);
        } else {
            objects.add(answer);
        }
        for (JsonNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (TableColumns.Column c : columns) {
                cells.add(Json.MAPPER.valueToTree(c.cell().apply(o)));
            }
            rowObject(row, o, type, includeObject);
        }
        return table;
    }

    private static void rowObject(ObjectNode row, JsonNode o, ResourceType type, String includeObject) {
        if ("None".equals(includeObject)) {
            return;
        }
        ObjectNode object = (ObjectNode) o.deepCopy();
        object.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        if ("Object".equals(includeObject)) {
            row.set("object", object);
            return;
        }
        ObjectNode partial = Json.object().put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", o.path("metadata").deepCopy());
        row.set("object", partial);
    }

    /** A CRD printer column: its JSONPath's first value, a {@code date} shown as an age. */
    private static TableColumns.Column printerColumn(JsonNode c, Instant now) {
        String type = c.path("type").asString("string");
        String path = c.has("jsonPath") ? c.path("jsonPath").asString("") : c.path("JSONPath").asString("");
        return new TableColumns.Column(c.path("name").asString(""), type, c.path("format").asString(""),
                c.path("priority").asInt(0), c.path("description").asString(""), o -> {
                    List<JsonNode> found = JsonPaths.find(o, path);
                    if (found.isEmpty()) {
                        return null;
                    }
                    JsonNode first = found.get(0);
                    if (type.equals("date")) {
                        return TableColumns.age(first, now);
                    }
                    if (first.isValueNode() && !first.isString()) {
                        return first;
                    }
                    return first.isString() ? first.asString() : Json.write(first);
                });
    }
}
