package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The kubectl verbs of a runbook (SPEC 3) over one connection. Every result is a plain value
 * ({@link KubeValues}): the object or list as the API server returned it.
 *
 * <p>{@code apply} is server-side apply (field manager {@code runbook}, conflicts forced, as
 * {@code kubectl apply --server-side --force-conflicts}). A server that does not accept
 * {@code application/apply-patch+yaml} gets create-or-replace instead, remembered per connection.
 */
public final class KubeVerbs {
    static final String FIELD_MANAGER = "runbook";

    private final KubeConnection connection;
    /** Null until a server has said whether it takes server-side apply. */
    private volatile Boolean serverSideApply;

    public KubeVerbs(KubeConnection connection) {
        this.connection = connection;
    }

    public KubeConnection connection() {
        return connection;
    }

    /**
     * One object when {@code name} is given, else {@code {items: [...]}} with selectors, each item
     * carrying its {@code kind} and {@code apiVersion} (which list answers leave out).
     */
    public Map<String, Object> get(String resource, String name, String namespace, String labelSelector, String fieldSelector) {
        ApiResource type = connection.apiResources().resolve(resource);
        String ns = connection.namespaceOr(namespace);
        if (name != null && !name.isBlank()) {
            return asMap(connection.get(type.objectPath(ns, name), Operation.of("get", type, name, ns)));
        }
        Query q = new Query().add("labelSelector", labelSelector).add("fieldSelector", fieldSelector);
        Map<String, Object> list = asMap(connection.get(type.collectionPath(ns) + q, Operation.of("list", type, null, ns)));
        if (list.get("items") instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> m) {
                    withTypeFirst(KubeValues.map(m), type);
                }
            }
        } else {
            list.put("items", new ArrayList<>());
        }
        return list;
    }

    /** Applies one manifest (a map, or YAML text of one document); the object as stored. */
    public Map<String, Object> apply(Object manifest, String namespace) {
        return applyDocument(singleDocument(manifest), namespace, false);
    }

    /** Applies every document of a YAML file in order ({@code kind: List} items included); {@code {items: [...]}}. */
    public Map<String, Object> applyFile(Path path, String namespace) {
        return applyFile(path, path.toString(), namespace);
    }

    /** As {@link #applyFile(Path, String)}, the file named {@code shown} in messages (as a runbook wrote it). */
    public Map<String, Object> applyFile(Path path, String shown, String namespace) {
        List<Object> results = new ArrayList<>();
        for (Map<String, Object> doc : documents(path, shown)) {
            results.add(applyDocument(doc, namespace, false));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", results);
        return out;
    }

    /** A JSON merge patch (a map) or a JSON patch (a list of operations); the object as stored. */
    public Map<String, Object> patch(String resource, String name, String namespace, Object patch) {
        return patch(resource, name, namespace, patch, false);
    }

    /** Deletes one object (dependents in the background, as kubectl); the server's answer. */
    public Map<String, Object> delete(String resource, String name, String namespace) {
        return delete(resource, name, namespace, false);
    }

    /** The log of a pod's container: {@code {text, lines}}; {@code tail} null for the whole log. */
    public Map<String, Object> logs(String pod, String container, Integer tail, String namespace) {
        String ns = connection.namespaceOr(namespace);
        Query q = new Query().add("container", container).add("tailLines", tail == null ? null : String.valueOf(tail));
        String text = connection.text("/api/v1/namespaces/" + ApiResource.segment(ns) + "/pods/" + ApiResource.segment(pod) + "/log" + q,
                new Operation("get logs of", "pods", pod, ns), java.time.Duration.ofMinutes(2));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text", text);
        out.put("lines", new ArrayList<Object>(lines(text)));
        return out;
    }

    /** Runs a command in a pod's container: {@code {stdout, stderr, exitCode}}. See {@link PodExec}. */
    public Map<String, Object> exec(String pod, String container, List<String> command, String stdin, String namespace,
            java.time.Duration timeout) {
        return exec(pod, container, command, stdin, namespace, timeout, dev.runbook.proc.OutputListener.NONE);
    }

    /** As {@link #exec(String, String, List, String, String, java.time.Duration)}, each output line told to {@code lines} as it arrives. */
    public Map<String, Object> exec(String pod, String container, List<String> command, String stdin, String namespace,
            java.time.Duration timeout, dev.runbook.proc.OutputListener lines) {
        return new PodExec(connection).run(pod, container, command, stdin, connection.namespaceOr(namespace), timeout, lines);
    }

    /** A manifest that can be applied again: see {@link ManifestExport}. */
    public Map<String, Object> export(String resource, String name, String namespace, List<String> strip) {
        return ManifestExport.clean(get(resource, name, namespace, null, null), strip);
    }

    // ---- shared with DryRun ----------------------------------------------------------------

    Map<String, Object> applyDocument(Map<String, Object> manifest, String namespace, boolean dryRun) {
        Map<String, Object> doc = KubeValues.map(KubeValues.plain(manifest));
        String apiVersion = KubeValues.string(doc, "apiVersion");
        String kind = KubeValues.string(doc, "kind");
        String name = KubeValues.string(doc, "metadata.name");
        if (apiVersion == null || kind == null) {
            throw new KubeException(Reason.INVALID, "a manifest needs apiVersion and kind");
        }
        if (name == null || name.isBlank()) {
            throw new KubeException(Reason.INVALID, "the " + kind + " manifest has no metadata.name");
        }
        ApiResource type = connection.apiResources().forKind(apiVersion, kind);
        String ns = null;
        if (type.namespaced()) {
            // The manifest's own namespace wins over the step's or target's default, as in kubectl.
            String own = KubeValues.string(doc, "metadata.namespace");
            ns = own != null && !own.isBlank() ? own : connection.namespaceOr(namespace);
            KubeValues.map(doc.get("metadata")).put("namespace", ns);
        }
        Operation op = Operation.of("apply", type, name, ns);
        if (!Boolean.FALSE.equals(serverSideApply)) {
            Query q = new Query().add("fieldManager", FIELD_MANAGER).add("force", "true").add("dryRun", dryRun ? "All" : null);
            var response = connection.exchange("PATCH", type.objectPath(ns, name) + q, "application/apply-patch+yaml",
                    KubeValues.toJson(doc), java.time.Duration.ofSeconds(30));
            if (response.isSuccessful()) {
                serverSideApply = true;
                return asMap(KubeValues.parseJson(response.body()));
            }
            if (response.code() == 415) {
                serverSideApply = false;
            } else if (response.code() != 404) {
                throw ApiErrors.fromResponse(response.code(), response.body(), op, connection.server());
            }
            // 404: a server without server-side apply cannot create by patching; a real one that
            // answers 404 (a missing namespace) gives the same answer to the create below.
        }
        return createOrReplace(type, doc, name, ns, dryRun);
    }

    private Map<String, Object> createOrReplace(ApiResource type, Map<String, Object> doc, String name, String ns, boolean dryRun) {
        Query q = new Query().add("fieldManager", FIELD_MANAGER).add("dryRun", dryRun ? "All" : null);
        Map<String, Object> live = getOrNull(type, name, ns);
        if (live == null) {
            return asMap(connection.send("POST", type.collectionPath(ns) + q, "application/json", KubeValues.toJson(doc),
                    Operation.of("create", type, name, ns)));
        }
        Map<String, Object> metadata = KubeValues.map(doc.get("metadata"));
        if (metadata.get("resourceVersion") == null) {
            metadata.put("resourceVersion", KubeValues.string(live, "metadata.resourceVersion"));
        }
        return asMap(connection.send("PUT", type.objectPath(ns, name) + q, "application/json", KubeValues.toJson(doc),
                Operation.of("update", type, name, ns)));
    }

    Map<String, Object> patch(String resource, String name, String namespace, Object patch, boolean dryRun) {
        ApiResource type = connection.apiResources().resolve(resource);
        String ns = connection.namespaceOr(namespace);
        Object body = patch instanceof String s ? singleYaml(s, "the patch") : KubeValues.plain(patch);
        String contentType = switch (body) {
            case Map<?, ?> m -> "application/merge-patch+json";
            case List<?> l -> "application/json-patch+json";
            case null, default -> throw new KubeException(Reason.INVALID, "a patch is a map (merge patch) or a list of operations (JSON patch)");
        };
        Query q = new Query().add("fieldManager", FIELD_MANAGER).add("dryRun", dryRun ? "All" : null);
        return asMap(connection.send("PATCH", type.objectPath(ns, name) + q, contentType, KubeValues.toJson(body),
                Operation.of("patch", type, name, ns)));
    }

    Map<String, Object> delete(String resource, String name, String namespace, boolean dryRun) {
        ApiResource type = connection.apiResources().resolve(resource);
        String ns = connection.namespaceOr(namespace);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("kind", "DeleteOptions");
        options.put("apiVersion", "v1");
        options.put("propagationPolicy", "Background");
        if (dryRun) {
            options.put("dryRun", List.of("All"));
        }
        Query q = new Query().add("dryRun", dryRun ? "All" : null);
        return asMap(connection.send("DELETE", type.objectPath(ns, name) + q, "application/json", KubeValues.toJson(options),
                Operation.of("delete", type, name, ns)));
    }

    /** The live object, or null when there is none. */
    Map<String, Object> getOrNull(ApiResource type, String name, String ns) {
        try {
            return asMap(connection.get(type.objectPath(ns, name), Operation.of("get", type, name, ns)));
        } catch (KubeException e) {
            if (e.reason() == Reason.NOT_FOUND && e.httpCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    static Map<String, Object> singleDocument(Object manifest) {
        Object doc = manifest instanceof String s ? singleYaml(s, "the manifest") : KubeValues.plain(manifest);
        if (!(doc instanceof Map<?, ?>)) {
            throw new KubeException(Reason.INVALID, "a manifest is a map with apiVersion, kind and metadata");
        }
        return KubeValues.map(doc);
    }

    private static Object singleYaml(String text, String what) {
        List<Object> docs = KubeValues.parseYamlDocuments(text, what);
        if (docs.size() != 1) {
            throw new KubeException(Reason.INVALID, what + " has " + docs.size() + " YAML documents; give exactly one"
                    + (docs.size() > 1 ? " (applyFile takes several)" : ""));
        }
        return docs.get(0);
    }

    /** The manifests of a file: every document, the items of a {@code kind: List} spread out. */
    static List<Map<String, Object>> documents(Path path, String shown) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new KubeException(Reason.CONFIG, "cannot read " + shown + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : KubeValues.parseYamlDocuments(text, shown)) {
            if (!(doc instanceof Map<?, ?>)) {
                throw new KubeException(Reason.INVALID, shown + " has a YAML document that is not a manifest");
            }
            if ("List".equals(KubeValues.string(doc, "kind")) && KubeValues.at(doc, "items") instanceof List<?> items) {
                items.forEach(i -> out.add(singleDocument(i)));
            } else {
                out.add(KubeValues.map(doc));
            }
        }
        if (out.isEmpty()) {
            throw new KubeException(Reason.INVALID, shown + " has no manifest");
        }
        return out;
    }

    private static void withTypeFirst(Map<String, Object> item, ApiResource type) {
        if (item.containsKey("kind") && item.containsKey("apiVersion")) {
            return;
        }
        Map<String, Object> copy = new LinkedHashMap<>(item);
        item.clear();
        item.put("apiVersion", type.apiVersion());
        item.put("kind", type.kind());
        copy.forEach(item::putIfAbsent);
    }

    static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(List.of(text.split("\\R", -1)));
        if (out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    static Map<String, Object> asMap(Object v) {
        Map<String, Object> m = KubeValues.map(v);
        if (m == null) {
            Map<String, Object> empty = new LinkedHashMap<>();
            return empty;
        }
        return m;
    }

    /** A query string built from the parameters that have a value. */
    static final class Query {
        private final StringJoiner joiner = new StringJoiner("&", "?", "").setEmptyValue("");

        Query add(String key, String value) {
            if (value != null && !value.isBlank()) {
                joiner.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
            return this;
        }

        @Override
        public String toString() {
            return joiner.toString();
        }
    }
}
