package dev.runbook.sandbox.kube;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Watches: every stored change becomes ADDED, MODIFIED or DELETED events for the watchers whose
 * resource, namespace, name and selectors it matches. A short history lets a watch that starts
 * from a list's resourceVersion (kubectl get -w, informers) miss nothing in between.
 */
final class WatchHub implements SandboxStore.ChangeListener {
    private static final int HISTORY = 4096;

    /** Where a watcher's events go: a chunked HTTP response or a WebSocket. */
    interface Sink {
        /** Sends one event (a JSON object); false once the client is gone. */
        boolean send(String event);

        void close();
    }

    record Watcher(RequestTarget target, Predicate<JsonNode> filter, Sink sink) {
        boolean matches(ResourceType type, JsonNode object) {
            if (object == null || !type.equals(target.type())) {
                return false;
            }
            if (target.namespace() != null && !target.namespace().equals(Json.namespace(object))) {
                return false;
            }
            if (target.name() != null && !target.name().equals(Json.name(object))) {
                return false;
            }
            return filter.test(object);
        }
    }

    private record Change(long resourceVersion, ResourceType type, JsonNode before, JsonNode after) {
    }

    private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
    private final Deque<Change> history = new ArrayDeque<>();
    private final SandboxStore store;

    WatchHub(SandboxStore store) {
        this.store = store;
    }

    @Override
    public void changed(ResourceType type, JsonNode before, JsonNode after, long resourceVersion) {
        Change change = new Change(resourceVersion, type, before, after);
        synchronized (history) {
            history.addLast(change);
            if (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        for (Watcher watcher : watchers) {
            if (!deliver(watcher, change)) {
                remove(watcher);
            }
        }
    }

    /**
     * Starts a watch: from {@code resourceVersion} when given (events after it), else with an
     * ADDED event for every object that matches now, as the API server does.
     */
    void subscribe(Watcher watcher, String resourceVersion) {
        store.locked(() -> {
            long from = parseVersion(resourceVersion);
            if (from <= 0) {
                for (ObjectNode object : store.list(watcher.target())) {
                    if (watcher.matches(watcher.target().type(), object)) {
                        watcher.sink().send(event("ADDED", object));
                    }
                }
            } else {
                synchronized (history) {
                    Change oldest = history.peekFirst();
                    if (oldest != null && oldest.resourceVersion() > from + 1 && history.size() >= HISTORY) {
                        watcher.sink().send(expired(from));
                        watcher.sink().close();
                        return null;
                    }
                    for (Change change : history) {
                        if (change.resourceVersion() > from) {
                            deliver(watcher, change);
                        }
                    }
                }
            }
            watchers.add(watcher);
            return null;
        });
    }

    void remove(Watcher watcher) {
        watchers.remove(watcher);
    }

    void closeAll() {
        watchers.forEach(w -> w.sink().close());
        watchers.clear();
    }

    private static boolean deliver(Watcher watcher, Change change) {
        boolean before = watcher.matches(change.type(), change.before());
        boolean after = watcher.matches(change.type(), change.after());
        if (before && after) {
            return watcher.sink().send(event("MODIFIED", change.after()));
        } else if (before) {
            return watcher.sink().send(event("DELETED", change.before()));
        } else if (after) {
            return watcher.sink().send(event("ADDED", change.after()));
        }
        return true;
    }

    private static long parseVersion(String resourceVersion) {
        if (resourceVersion == null || resourceVersion.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(resourceVersion.trim());
        } catch (NumberFormatException e) {
            throw new Json.BadRequest("invalid resourceVersion '" + resourceVersion + "': the sandbox's are numbers");
        }
    }

    static String event(String type, JsonNode object) {
        ObjectNode event = Json.object().put("type", type);
        event.set("object", object);
        return Json.write(event);
    }

    private static String expired(long from) {
        ObjectNode status = (ObjectNode) Json.parse(ApiResponse.status(410, "Expired",
                "too old resource version: " + from).body());
        return event("ERROR", status);
    }
}
