package dev.runbook.sandbox.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The objects of the simulated cluster, kept by fabric8's CRUD dispatcher (which assigns uid,
 * resourceVersion, creationTimestamp and generation, checks resourceVersion conflicts and keeps
 * status apart from the main resource). This subclass adds what the sandbox needs around it:
 * writes that store nothing (server-side dry run), status kept from seed files, a resource
 * version that survives a restart, and one hook that sees every stored change (watch,
 * persistence, CRD discovery).
 */
final class SandboxStore extends KubernetesCrudDispatcher {

    /** Told of every stored change, under the store's lock; {@code after} is null for a delete. */
    interface ChangeListener {
        void changed(ResourceType type, JsonNode before, JsonNode after, long resourceVersion);
    }

    private enum Mode { NORMAL, DRY_RUN, SEED, RESTORE }

    private final ResourceRegistry registry;
    private final AtomicLong resourceVersion = new AtomicLong();
    private final ThreadLocal<Mode> mode = ThreadLocal.withInitial(() -> Mode.NORMAL);
    private final ReentrantLock lock = new ReentrantLock();
    private final ThreadLocal<String> lastCreated = new ThreadLocal<>();
    private volatile ChangeListener listener = (type, before, after, rv) -> {
    };

    SandboxStore(ResourceRegistry registry) {
        this.registry = registry;
    }

    void setListener(ChangeListener listener) {
        this.listener = listener;
    }

    /** Runs {@code action} alone: no other request reads or writes the store meanwhile. */
    <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    // --- fabric8 hooks --------------------------------------------------------------------

    @Override
    public long requestResourceVersion() {
        return resourceVersion.incrementAndGet();
    }

    long currentResourceVersion() {
        return resourceVersion.get();
    }

    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
        if (mode.get() == Mode.SEED) {
            return false; // a seed file's status is the world as it is now: keep it
        }
        String pathOnly = path.split("\\?")[0];
        return RequestTarget.parse(pathOnly, registry).map(t -> t.type().statusSubresource()).orElse(false);
    }

    @Override
    public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
            GenericKubernetesResource resource, String newState) {
        Mode current = mode.get();
        if (oldAttributes == null && newState != null && current != Mode.RESTORE) {
            // fabric8 numbers uids from a counter that restarts with the process: after a restart
            // new objects would take the uids of saved ones. A created object gets a random one.
            ObjectNode created = (ObjectNode) Json.parse(newState);
            created.withObject("metadata").put("uid", UUID.randomUUID().toString());
            newState = Json.write(created);
            lastCreated.set(newState);
        }
        if (current == Mode.DRY_RUN) {
            return; // answer as if done, store nothing
        }
        String old = oldAttributes == null ? null : map.get(oldAttributes);
        super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
        JsonNode before = old == null ? null : Json.parse(old);
        JsonNode after = newState == null ? null : Json.parse(newState);
        JsonNode any = after != null ? after : before;
        if (any == null) {
            return;
        }
        Optional<ResourceType> type = registry.byKind(any.path("apiVersion").asString(""), any.path("kind").asString(""));
        if (type.isPresent() && type.get().plural().equals("customresourcedefinitions")) {
            if (after != null) {
                registry.registerCrd(after);
            } else {
                registry.unregisterCrd(before);
            }
        }
        if (after == null && before instanceof ObjectNode deleted && Json.metadata(deleted) != null) {
            Json.metadata(deleted).put("resourceVersion", String.valueOf(requestResourceVersion()));
        }
        if (current != Mode.RESTORE && type.isPresent()) {
            listener.changed(type.get(), before, after, resourceVersion.get());
        }
    }

    // --- operations -----------------------------------------------------------------------

    ApiResponse create(String collectionPath, String body, boolean dryRun) {
        return write(dryRun ? Mode.DRY_RUN : Mode.NORMAL, () -> handleCreate(request(HttpMethod.POST, collectionPath, body)));
    }

    ApiResponse update(String objectPath, String body, boolean dryRun) {
        return write(dryRun ? Mode.DRY_RUN : Mode.NORMAL, () -> handleUpdate(request(HttpMethod.PUT, objectPath, body)));
    }

    ApiResponse delete(String objectPath, boolean dryRun) {
        return write(dryRun ? Mode.DRY_RUN : Mode.NORMAL, () -> handleDelete(objectPath));
    }

    /** Creates a seed object keeping its status; fails on a duplicate. */
    ApiResponse seed(String collectionPath, String body) {
        return write(Mode.SEED, () -> handleCreate(request(HttpMethod.POST, collectionPath, body)));
    }

    /** Puts back an object saved before a restart, exactly as it was saved. */
    void restore(String collectionPath, ObjectNode object) {
        locked(() -> {
            mode.set(Mode.RESTORE);
            try {
                String path = collectionPath + "/" + Json.name(object);
                processEvent(path, getKey(path), null, null, Json.write(object));
            } finally {
                mode.remove();
            }
            return null;
        });
    }

    void restoreResourceVersion(long value) {
        resourceVersion.set(Math.max(resourceVersion.get(), value));
    }

    private ApiResponse write(Mode writeMode, Supplier<MockResponse> action) {
        return locked(() -> {
            mode.set(writeMode);
            try {
                MockResponse response = action.get();
                Buffer body = response.getBody();
                String created = lastCreated.get();
                if (created != null && response.code() == 201) {
                    return ApiResponse.json(201, created);
                }
                return ApiResponse.json(response.code(), body == null ? "" : body.readUtf8());
            } finally {
                mode.remove();
                lastCreated.remove();
            }
        });
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        Headers headers = Headers.builder().add("Content-Type", ApiResponse.JSON).build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The stored object a path names (its {@code /status} suffix ignored). */
    Optional<ObjectNode> get(RequestTarget target) {
        RequestTarget object = new RequestTarget(target.type(), target.namespace(), target.name(), null, false);
        return locked(() -> {
            Map.Entry<AttributeSet, String> entry = findResource(getKey(object.storePath()));
            return Optional.ofNullable(entry).map(e -> (ObjectNode) Json.parse(e.getValue()))
                    .filter(o -> sameGroup(o, target.type()));
        });
    }

    /** The stored objects of a collection (every namespace when the target has none). */
    List<ObjectNode> list(RequestTarget target) {
        AttributeSet query = getKey(new RequestTarget(target.type(), target.namespace(), null, null, false).storePath());
        return locked(() -> {
            List<ObjectNode> items = new ArrayList<>();
            synchronized (map) {
                map.forEach((key, value) -> {
                    if (key.matches(query)) {
                        ObjectNode object = (ObjectNode) Json.parse(value);
                        if (sameGroup(object, target.type())) {
                            items.add(object);
                        }
                    }
                });
            }
            return items;
        });
    }

    /** Every stored object, CRDs first, for saving the world. */
    List<String> snapshot() {
        return locked(() -> {
            List<String> crds = new ArrayList<>();
            List<String> others = new ArrayList<>();
            synchronized (map) {
                map.forEach((key, value) -> (value.contains("\"CustomResourceDefinition\"") && isCrd(value)
                        ? crds : others).add(value));
            }
            crds.addAll(others);
            return crds;
        });
    }

    private static boolean isCrd(String json) {
        JsonNode node = Json.parse(json);
        return node.path("kind").asString("").equals("CustomResourceDefinition")
                && node.path("apiVersion").asString("").startsWith("apiextensions.k8s.io/");
    }

    /** The core group's paths carry no group: keep objects of other groups with the same plural out. */
    private static boolean sameGroup(JsonNode object, ResourceType type) {
        return object.path("apiVersion").asString("").equals(type.apiVersion());
    }
}
