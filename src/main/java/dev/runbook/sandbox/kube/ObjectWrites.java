package dev.runbook.sandbox.kube;

import java.time.Instant;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Create, update, patch and delete of one object, with server-side dry run. Every accepted write
 * that is not a dry run is reported to {@code onWrite} while the store is still locked, so it is
 * saved and recorded before the client hears of it.
 */
final class ObjectWrites {
    private final SandboxStore store;
    private final Consumer<KubeWrite> onWrite;

    ObjectWrites(SandboxStore store, Consumer<KubeWrite> onWrite) {
        this.store = store;
        this.onWrite = onWrite;
    }

    ApiResponse create(RequestTarget target, ApiRequest request, boolean dryRun) {
        ObjectNode object = Json.parseObject(request.body());
        ApiResponse invalid = checkKind(target.type(), object);
        if (invalid != null) {
            return invalid;
        }
        prepareNamespace(target, object);
        generateName(object);
        if (target.type().group().isEmpty() && target.type().plural().equals("secrets") && !object.hasNonNull("type")) {
            // The one default kubectl users see: TYPE Opaque for `kubectl create secret generic`.
            object.put("type", "Opaque");
        }
        return store.locked(() -> recorded(
                store.create(collection(target), Json.write(object), dryRun), "create", target, object, dryRun));
    }

    ApiResponse update(RequestTarget target, ApiRequest request, boolean dryRun) {
        ObjectNode object = Json.parseObject(request.body());
        ApiResponse invalid = checkKind(target.type(), object);
        if (invalid != null) {
            return invalid;
        }
        prepareNamespace(target, object);
        return store.locked(() -> recorded(
                store.update(target.storePath(), Json.write(object), dryRun), "update", target, object, dryRun));
    }

    ApiResponse patch(RequestTarget target, ApiRequest request, boolean dryRun) {
        Patches.Kind kind = Patches.Kind.of(request.contentType());
        return store.locked(() -> {
            var current = store.get(target);
            if (current.isEmpty()) {
                if (kind == Patches.Kind.APPLY && target.subresource() == null) {
                    return applyCreate(target, request, dryRun);
                }
                return notFound(target);
            }
            JsonNode patched = Patches.apply(kind, current.get(), request.body());
            if (!(patched instanceof ObjectNode object)) {
                return ApiResponse.badRequest("the patch does not leave an object");
            }
            ApiResponse invalid = checkKind(target.type(), object);
            if (invalid != null) {
                return invalid;
            }
            String verb = kind == Patches.Kind.APPLY ? "apply" : "patch";
            return recorded(store.update(target.storePath(), Json.write(object), dryRun), verb, target, object,
                    dryRun);
        });
    }

    private ApiResponse applyCreate(RequestTarget target, ApiRequest request, boolean dryRun) {
        JsonNode body = Patches.parseApplyBody(request.body());
        if (!(body instanceof ObjectNode object)) {
            return ApiResponse.badRequest("the apply patch is not an object");
        }
        ApiResponse invalid = checkKind(target.type(), object);
        if (invalid != null) {
            return invalid;
        }
        object.withObject("metadata").put("name", target.name());
        prepareNamespace(target, object);
        return recorded(store.create(collection(target), Json.write(object), dryRun), "apply", target, object,
                dryRun);
    }

    ApiResponse delete(RequestTarget target, ApiRequest request, boolean dryRun) {
        JsonNode options = request.body() == null || request.body().isBlank() ? Json.object() : Json.parse(request.body());
        boolean dry = dryRun || DryRun.requested(options.path("dryRun"));
        return store.locked(() -> {
            var current = store.get(target);
            if (current.isEmpty()) {
                return notFound(target);
            }
            JsonNode preconditions = options.path("preconditions");
            String expectedVersion = preconditions.path("resourceVersion").asString("");
            String expectedUid = preconditions.path("uid").asString("");
            if (!expectedVersion.isEmpty() && !expectedVersion.equals(Json.textAt(current.get(), "metadata.resourceVersion"))
                    || !expectedUid.isEmpty() && !expectedUid.equals(Json.textAt(current.get(), "metadata.uid"))) {
                return ApiResponse.status(409, "Conflict", "Operation cannot be fulfilled on "
                        + target.type().qualifiedPlural() + " \"" + target.name()
                        + "\": the precondition (uid or resourceVersion) does not hold");
            }
            return recorded(store.delete(target.storePath(), dry), "delete", target, current.get(), dry);
        });
    }

    private ApiResponse recorded(ApiResponse response, String verb, RequestTarget target, JsonNode object,
            boolean dryRun) {
        ApiResponse answer = normalized(response, target, object);
        if (answer.ok() && !dryRun) {
            String name = target.name() != null ? target.name() : nameOf(answer, object);
            String namespace = target.type().namespaced() ? namespaceOf(target, object) : null;
            onWrite.accept(new KubeWrite(verb, target.type().qualifiedPlural(), target.subresource(), namespace,
                    name, Instant.now()));
        }
        return answer;
    }

    /** fabric8 answers some failures with no body or the reason "Invalid": give each a proper Status. */
    private static ApiResponse normalized(ApiResponse response, RequestTarget target, JsonNode object) {
        if (response.ok()) {
            return response.code() == 202 ? new ApiResponse(200, response.contentType(), response.body()) : response;
        }
        String name = target.name() != null ? target.name() : Json.name(object);
        String what = target.type().qualifiedPlural() + " \"" + name + "\"";
        String message = response.body().isBlank() ? "" : Json.parse(response.body()).path("message").asString("");
        return switch (response.code()) {
            case 404 -> ApiResponse.notFound(what + " not found");
            case 409 -> message.contains("already exists")
                    ? ApiResponse.status(409, "AlreadyExists", what + " already exists")
                    : ApiResponse.status(409, "Conflict", message.isEmpty() ? what + " was modified" : message);
            case 422 -> ApiResponse.status(422, "Invalid", message.isEmpty() ? what + " is invalid" : message);
            default -> ApiResponse.status(response.code(), response.code() == 400 ? "BadRequest" : "InternalError",
                    message.isEmpty() ? "the sandbox could not process the request for " + what : message);
        };
    }

    private static ApiResponse notFound(RequestTarget target) {
        return ApiResponse.notFound(target.type().qualifiedPlural() + " \"" + target.name() + "\" not found");
    }

    /** The URL decides the kind: a body of another kind is refused, as the API server does. */
    private static ApiResponse checkKind(ResourceType type, ObjectNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        if (apiVersion.isEmpty() && kind.isEmpty()) {
            object.put("apiVersion", type.apiVersion()).put("kind", type.kind());
            return null;
        }
        if (!apiVersion.equals(type.apiVersion()) || !kind.equals(type.kind())) {
            return ApiResponse.badRequest("the body is a " + kind + " (" + apiVersion + ") but the URL names "
                    + type.qualifiedPlural() + " (" + type.apiVersion() + ")");
        }
        if (!object.path("metadata").isObject()) {
            object.putObject("metadata");
        }
        return null;
    }

    /** {@code generateName} gets five random characters, as the API server adds. */
    private static void generateName(ObjectNode object) {
        ObjectNode metadata = object.withObject("metadata");
        String prefix = metadata.path("generateName").asString("");
        if (metadata.path("name").asString("").isEmpty() && !prefix.isEmpty()) {
            String alphabet = "bcdfghjklmnpqrstvwxz2456789";
            StringBuilder name = new StringBuilder(prefix);
            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
            for (int i = 0; i < 5; i++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            metadata.put("name", name.toString());
        }
    }

    private static void prepareNamespace(RequestTarget target, ObjectNode object) {
        ObjectNode metadata = object.withObject("metadata");
        if (!target.type().namespaced()) {
            metadata.remove("namespace"); // cluster-scoped objects have none
        } else if (!metadata.has("namespace") && target.namespace() != null) {
            metadata.put("namespace", target.namespace());
        }
    }

    private static String collection(RequestTarget target) {
        return new RequestTarget(target.type(), target.namespace(), null, null, false).storePath();
    }

    private static String nameOf(ApiResponse answer, JsonNode object) {
        String name = Json.name(object);
        return name.isEmpty() && !answer.body().isBlank() ? Json.name(Json.parse(answer.body())) : name;
    }

    private static String namespaceOf(RequestTarget target, JsonNode object) {
        return target.namespace() != null ? target.namespace() : Json.namespace(object);
    }
}
