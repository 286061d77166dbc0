package dev.runbook.sandbox.kube;

import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Just enough OpenAPI v3 for kubectl: before {@code apply}, {@code create} or {@code patch}
 * it asks whether the server validates fields itself (a {@code fieldValidation} parameter on the
 * kind's PATCH operation). Saying yes spares kubectl its client-side validation, which would need
 * the full schemas the sandbox does not have. No schemas are served.
 */
final class OpenApiDocs {
    private final ResourceRegistry registry;

    OpenApiDocs(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** {@code /openapi/v3}: one entry per group version. */
    ObjectNode root() {
        ObjectNode root = Json.object();
        ObjectNode paths = root.putObject("paths");
        registry.all().stream().map(OpenApiDocs::groupVersionPath).distinct().forEach(gv -> {
            String hash = Integer.toHexString(Json.write(groupVersion(gv).orElseThrow()).hashCode());
            paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash);
        });
        return root;
    }

    /** {@code /openapi/v3/api/v1}, {@code /openapi/v3/apis/GROUP/VERSION}. */
    Optional<ObjectNode> groupVersion(String groupVersionPath) {
        var types = registry.all().stream().filter(t -> groupVersionPath(t).equals(groupVersionPath)).toList();
        if (types.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode doc = Json.object().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes (sandbox)").put("version", "v1.32.0");
        ObjectNode paths = doc.putObject("paths");
        for (ResourceType type : types) {
            String base = "/" + groupVersionPath + (type.namespaced() ? "/namespaces/{namespace}/" : "/")
                    + type.plural() + "/{name}";
            ObjectNode patch = paths.putObject(base).putObject("patch");
            patch.put("operationId", "patch" + type.kind());
            patch.putObject("x-kubernetes-group-version-kind").put("group", type.group())
                    .put("version", type.version()).put("kind", type.kind());
            ArrayNode parameters = patch.putArray("parameters");
            for (String name : new String[] {"dryRun", "fieldManager", "fieldValidation", "force"}) {
                parameters.addObject().put("name", name).put("in", "query").putObject("schema")
                        .put("type", name.equals("force") ? "boolean" : "string");
            }
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        return Optional.of(doc);
    }

    private static String groupVersionPath(ResourceType type) {
        return type.group().isEmpty() ? "api/" + type.version() : "apis/" + type.group() + "/" + type.version();
    }
}
