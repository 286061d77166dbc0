package dev.runbook.sandbox.kube;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a resource URL names: {@code /api/v1/namespaces/NS/pods/NAME/status} and the like. The
 * legacy {@code /watch/} prefix is folded into {@link #watchPrefix}.
 *
 * @param namespace   null for a cluster-wide request
 * @param name        null for a collection
 * @param subresource null, or status, log, exec...
 */
record RequestTarget(ResourceType type, String namespace, String name, String subresource, boolean watchPrefix) {

    boolean isCollection() {
        return name == null;
    }

    /** The path without query that the CRUD store understands. */
    String storePath() {
        String base = type.group().isEmpty() ? "/api/" + type.version() : "/apis/" + type.group() + "/" + type.version();
        StringBuilder path = new StringBuilder(base);
        if (namespace != null && type.namespaced()) {
            path.append("/namespaces/").append(namespace);
        }
        path.append('/').append(type.plural());
        if (name != null) {
            path.append('/').append(name);
        }
        if ("status".equals(subresource)) {
            path.append("/status");
        }
        return path.toString();
    }

    /**
     * Parses a request path (no query). Empty when the path names no resource the registry knows:
     * the caller answers 404.
     */
    static Optional<RequestTarget> parse(String path, ResourceRegistry registry) {
        List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        String group;
        String version;
        if (parts.size() >= 2 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            parts = parts.subList(3, parts.size());
        } else {
            return Optional.empty();
        }
        boolean watch = !parts.isEmpty() && parts.get(0).equals("watch");
        if (watch) {
            parts = parts.subList(1, parts.size());
        }
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String namespace = null;
        // namespaces/NS/PLURAL... is a namespaced request, unless what follows NS is not a
        // resource (namespaces/NS, namespaces/NS/status name the Namespace object itself).
        if (parts.get(0).equals("namespaces") && parts.size() >= 3
                && registry.byPlural(group, version, parts.get(2)).isPresent()) {
            namespace = parts.get(1);
            parts = parts.subList(2, parts.size());
        }
        if (parts.size() > 3) {
            return Optional.empty();
        }
        Optional<ResourceType> type = registry.byPlural(group, version, parts.get(0));
        if (type.isEmpty()) {
            return Optional.empty();
        }
        String name = parts.size() >= 2 ? parts.get(1) : null;
        String subresource = parts.size() == 3 ? parts.get(2) : null;
        if (namespace != null && !type.get().namespaced()) {
            return Optional.empty();
        }
        return Optional.of(new RequestTarget(type.get(), namespace, name, subresource, watch));
    }
}
