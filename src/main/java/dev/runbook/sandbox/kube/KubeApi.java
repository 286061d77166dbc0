package dev.runbook.sandbox.kube;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The plain request/response part of the API server: discovery, get, list, writes, pod logs.
 * Watch and exec, which stream, are served by {@link HttpFront} with this class's help.
 */
final class KubeApi {
    static final String NO_RESOURCE = "the server could not find the requested resource";

    private final ResourceRegistry registry;
    private final SandboxStore store;
    private final ObjectWrites writes;
    private final LogAnswers logs;
    private final OpenApiDocs openApi;
    private final Tables tables;
    private volatile String serverAddress = "127.0.0.1";

    KubeApi(ResourceRegistry registry, SandboxStore store, ObjectWrites writes, LogAnswers logs) {
        this.registry = registry;
        this.store = store;
        this.writes = writes;
        this.logs = logs;
        this.openApi = new OpenApiDocs(registry);
        this.tables = new Tables(registry);
    }

    void setServerAddress(String serverAddress) {
        this.serverAddress = serverAddress;
    }

    ResourceRegistry registry() {
        return registry;
    }

    SandboxStore store() {
        return store;
    }

    Tables tables() {
        return tables;
    }

    ApiResponse handle(ApiRequest request) {
        try {
            return route(request);
        } catch (Json.BadRequest e) {
            return ApiResponse.badRequest(e.getMessage());
        } catch (Patches.UnsupportedPatch e) {
            return ApiResponse.status(415, "UnsupportedMediaType", e.getMessage());
        } catch (RuntimeException e) {
            return ApiResponse.status(500, "InternalError", "the sandbox API server failed on " + request.method()
                    + " " + request.path() + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().lines().findFirst().orElse("")));
        }
    }

    private ApiResponse route(ApiRequest request) {
        String path = request.path().length() > 1 && request.path().endsWith("/")
                ? request.path().substring(0, request.path().length() - 1) : request.path();
        boolean get = request.method().equals("GET");
        Optional<ApiResponse> fixed = get ? fixedDocument(path) : Optional.empty();
        if (fixed.isPresent()) {
            return fixed.get();
        }
        Optional<RequestTarget> parsed = RequestTarget.parse(path, registry);
        if (parsed.isEmpty()) {
            return ApiResponse.notFound(NO_RESOURCE);
        }
        RequestTarget target = parsed.get();
        if (target.subresource() != null) {
            return subresource(target, request);
        }
        boolean dryRun = DryRun.requested(request);
        return switch (request.method()) {
            case "GET" -> asTable(request, target, target.isCollection() ? list(target, request) : get(target));
            case "POST" -> target.isCollection() ? create(target, request, dryRun)
                    : ApiResponse.methodNotAllowed("POST is not allowed on a named object; use PUT or PATCH");
            case "PUT" -> target.isCollection() ? ApiResponse.methodNotAllowed("PUT needs an object name")
                    : writes.update(target, request, dryRun);
            case "PATCH" -> target.isCollection() ? ApiResponse.methodNotAllowed("PATCH needs an object name")
                    : writes.patch(target, request, dryRun);
            case "DELETE" -> target.isCollection()
                    ? ApiResponse.methodNotAllowed("the sandbox does not support deleting a whole collection "
                            + "(deletecollection); delete objects by name")
                    : writes.delete(target, request, dryRun);
            default -> ApiResponse.methodNotAllowed(request.method() + " is not supported by the sandbox");
        };
    }

    /** Discovery and the other documents that are not objects. */
    private Optional<ApiResponse> fixedDocument(String path) {
        if (path.equals("/") || path.isEmpty()) {
            ObjectNode root = Json.object();
            ArrayNode paths = root.putArray("paths");
            paths.add("/api").add("/api/v1").add("/apis").add("/version");
            registry.all().stream().map(t -> t.group().isEmpty() ? null : "/apis/" + t.group() + "/" + t.version())
                    .filter(p -> p != null).distinct().forEach(paths::add);
            return Optional.of(ApiResponse.json(200, root));
        }
        if (path.equals("/version")) {
            return Optional.of(ApiResponse.json(200, Json.object().put("major", "1").put("minor", "32")
                    .put("gitVersion", "v1.32.0-sandbox").put("platform", "linux/amd64")));
        }
        if (path.equals("/healthz") || path.equals("/readyz") || path.equals("/livez")) {
            return Optional.of(ApiResponse.text("ok"));
        }
        if (path.equals("/openapi/v3")) {
            return Optional.of(ApiResponse.json(200, openApi.root()));
        }
        if (path.startsWith("/openapi/v3/")) {
            return Optional.of(openApi.groupVersion(path.substring("/openapi/v3/".length()))
                    .map(d -> ApiResponse.json(200, d)).orElse(ApiResponse.notFound(NO_RESOURCE)));
        }
        if (path.equals("/api")) {
            return Optional.of(ApiResponse.json(200, registry.apiVersions(serverAddress)));
        }
        if (path.equals("/apis")) {
            return Optional.of(ApiResponse.json(200, registry.groupList()));
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length == 2 && parts[0].equals("api")) {
            return Optional.of(registry.servesGroupVersion("", parts[1])
                    ? ApiResponse.json(200, registry.resourceList("", parts[1])) : ApiResponse.notFound(NO_RESOURCE));
        }
        if (parts.length == 2 && parts[0].equals("apis")) {
            return Optional.of(registry.groupDocument(parts[1]).map(d -> ApiResponse.json(200, d))
                    .orElse(ApiResponse.notFound(NO_RESOURCE)));
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            return Optional.of(registry.servesGroupVersion(parts[1], parts[2])
                    ? ApiResponse.json(200, registry.resourceList(parts[1], parts[2]))
                    : ApiResponse.notFound(NO_RESOURCE));
        }
        return Optional.empty();
    }

    /** A Table instead of the object or list, when the client asks for one (kubectl get does). */
    private ApiResponse asTable(ApiRequest request, RequestTarget target, ApiResponse answer) {
        Optional<String> version = Tables.wanted(request.accept());
        if (version.isEmpty() || !answer.ok()) {
            return answer;
        }
        return ApiResponse.json(200, tables.render(target.type(), Json.parse(answer.body()), version.get(),
                request.param("includeObject"), java.time.Instant.now()));
    }

    private ApiResponse get(RequestTarget target) {
        return store.get(target).map(o -> ApiResponse.json(200, o))
                .orElse(ApiResponse.notFound(target.type().qualifiedPlural() + " \"" + target.name() + "\" not found"));
    }

    private ApiResponse list(RequestTarget target, ApiRequest request) {
        Predicate<JsonNode> filter = filter(request);
        return store.locked(() -> {
            ObjectNode list = Json.object().put("kind", target.type().kind() + "List")
                    .put("apiVersion", target.type().apiVersion());
            list.putObject("metadata").put("resourceVersion", String.valueOf(store.currentResourceVersion()));
            ArrayNode items = list.putArray("items");
            store.list(target).stream().filter(filter).forEach(items::add);
            return ApiResponse.json(200, list);
        });
    }

    static Predicate<JsonNode> filter(ApiRequest request) {
        return Selectors.labels(request.param("labelSelector")).and(Selectors.fields(request.param("fieldSelector")));
    }

    private ApiResponse create(RequestTarget target, ApiRequest request, boolean dryRun) {
        if (target.type().plural().equals("selfsubjectaccessreviews")) {
            ObjectNode review = Json.parseObject(request.body());
            review.putObject("status").put("allowed", true).put("reason", "the sandbox allows every request");
            return ApiResponse.json(201, review);
        }
        return writes.create(target, request, dryRun);
    }

    private ApiResponse subresource(RequestTarget target, ApiRequest request) {
        boolean pods = target.type().plural().equals("pods") && target.type().group().isEmpty();
        return switch (target.subresource()) {
            case "status" -> {
                if (!target.type().statusSubresource()) {
                    yield ApiResponse.notFound(NO_RESOURCE);
                }
                boolean dryRun = DryRun.requested(request);
                yield switch (request.method()) {
                    case "GET" -> get(target);
                    case "PUT" -> writes.update(target, request, dryRun);
                    case "PATCH" -> writes.patch(target, request, dryRun);
                    default -> ApiResponse.methodNotAllowed(request.method() + " is not allowed on the status "
                            + "subresource (GET, PUT, PATCH are)");
                };
            }
            case "log" -> pods && request.method().equals("GET") ? podLog(target, request)
                    : ApiResponse.notFound(NO_RESOURCE);
            case "exec", "attach" -> pods
                    ? ApiResponse.badRequest("pods/" + target.subresource() + " needs a WebSocket upgrade "
                            + "(v4.channel.k8s.io or v5.channel.k8s.io); the sandbox does not speak SPDY")
                    : ApiResponse.notFound(NO_RESOURCE);
            default -> ApiResponse.notFound("the sandbox does not serve the subresource " + target.type().plural()
                    + "/" + target.subresource());
        };
    }

    private ApiResponse podLog(RequestTarget target, ApiRequest request) {
        Optional<ObjectNode> pod = store.get(target);
        if (pod.isEmpty()) {
            return ApiResponse.notFound("pods \"" + target.name() + "\" not found");
        }
        String container = containerOf(pod.get(), request.param("container"));
        if (container == null) {
            return ApiResponse.badRequest("container " + request.param("container") + " is not valid for pod "
                    + target.name());
        }
        String text = logs.logs(target.namespace(), target.name(), container).orElse("");
        String tail = request.param("tailLines");
        if (tail != null) {
            List<String> lines = text.lines().toList();
            int keep = Math.max(0, Integer.parseInt(tail.trim()));
            List<String> kept = lines.subList(Math.max(0, lines.size() - keep), lines.size());
            text = kept.isEmpty() ? "" : String.join("\n", kept) + "\n";
        }
        return ApiResponse.text(text);
    }

    /** The container a request names, or the pod's first one; null when the pod has no such container. */
    static String containerOf(JsonNode pod, String requested) {
        JsonNode containers = pod.path("spec").path("containers");
        if (requested == null || requested.isEmpty()) {
            return containers.isArray() && !containers.isEmpty() ? containers.get(0).path("name").asString("")
                    : "";
        }
        if (!containers.isArray() || containers.isEmpty()) {
            return requested; // a seed pod without a spec: take the name as given
        }
        for (JsonNode container : containers) {
            if (container.path("name").asString("").equals(requested)) {
                return requested;
            }
        }
        return null;
    }
}
