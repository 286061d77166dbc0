package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import dev.runbook.lang.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Resolves a RESOURCE string as kubectl does, by API discovery ({@code /api/v1}, {@code /apis},
 * {@code /apis/GROUP/VERSION}): plural, singular, kind in any case, short name, and any of these
 * followed by {@code .group} (or {@code .version.group}). Custom resources are found like the
 * built-in ones. Discovery is read once per connection and read again once when a name is not
 * found, so a CRD created by an earlier step is found by a later one. The core group and the
 * named groups are requested at the same time; a name of the core group is resolved as soon as
 * the core group's document is in.
 */
public final class ApiResources {
    private final KubeConnection connection;
    /** The core group ({@code /api/v1}) and the named groups, read at the same time. */
    private Discovery discovery;

    ApiResources(KubeConnection connection) {
        this.connection = connection;
    }

    /** The type a RESOURCE string names. */
    public ApiResource resolve(String resource) {
        if (resource == null || resource.isBlank()) {
            throw new KubeException(Reason.UNKNOWN_RESOURCE, "no resource type given");
        }
        String wanted = resource.strip().toLowerCase(Locale.ROOT);
        // The core group comes first and a plain name that matches it wins whatever the other
        // groups hold, so a core name (pods, configmaps) does not wait for the groups' documents.
        ApiResource found = findByName(wanted, discovery(false).core());
        if (found == null) {
            found = find(wanted, list(false));
        }
        if (found == null) {
            found = find(wanted, list(true));
        }
        if (found == null) {
            String suggestion = Suggest.closest(wanted, names(list(false)));
            throw new KubeException(Reason.UNKNOWN_RESOURCE, "unknown resource type '" + resource + "'"
                    + (suggestion != null ? " (did you mean '" + suggestion + "'?)" : ""));
        }
        return found;
    }

    /** The type of a manifest: its apiVersion and kind. */
    public ApiResource forKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        if (group.isEmpty()) {
            for (ApiResource r : discovery(false).core()) {
                if (r.version().equals(version) && r.kind().equals(kind)) {
                    return r;
                }
            }
        }
        for (boolean refresh : new boolean[] {false, true}) {
            for (ApiResource r : list(refresh)) {
                if (r.group().equals(group) && r.version().equals(version) && r.kind().equals(kind)) {
                    return r;
                }
            }
        }
        throw new KubeException(Reason.UNKNOWN_RESOURCE, "the API server does not serve kind " + kind + " in " + apiVersion
                + " (is its CustomResourceDefinition installed?)");
    }

    /** Every type discovery lists, subresources left out. */
    public List<ApiResource> list(boolean refresh) {
        return discovery(refresh).all();
    }

    /** The discovery in use, started (both halves at once) on first use or when refreshed. */
    private synchronized Discovery discovery(boolean refresh) {
        if (discovery == null || refresh) {
            discovery = new Discovery(connection.getAsync("/api/v1", Operation.raw("discover", "the core API"))
                    .thenApply(list -> parse("", "v1", list)), groups(), connection.server());
        }
        return discovery;
    }

    /**
     * One reading of discovery: the core group and the named groups, requested at the same time
     * (one round trip for {@code /api/v1} and {@code /apis} together, then one for every group's
     * document at once) rather than one after the other.
     */
    private record Discovery(CompletableFuture<List<ApiResource>> coreTypes, CompletableFuture<List<ApiResource>> groupTypes,
            String server) {
        List<ApiResource> core() {
            return await(coreTypes);
        }

        /** Core group first, then the groups in the server's order: the first match wins, as in kubectl. */
        List<ApiResource> all() {
            List<ApiResource> out = new ArrayList<>(core());
            out.addAll(await(groupTypes));
            return List.copyOf(out);
        }

        /** Waits for one half; an interrupt (Ctrl-C) ends the wait at once, as for any request. */
        private List<ApiResource> await(CompletableFuture<List<ApiResource>> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KubeException(Reason.INTERRUPTED, "interrupted while waiting for the Kubernetes API server at " + server);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KubeException k ? k : ApiErrors.fromFailure(e.getCause(), server);
            }
        }
    }

    private static ApiResource findByName(String wanted, List<ApiResource> types) {
        for (ApiResource r : types) {
            if (matchesName(wanted, r)) {
                return r;
            }
        }
        return null;
    }

    private static ApiResource find(String wanted, List<ApiResource> types) {
        ApiResource byName = findByName(wanted, types);
        if (byName != null) {
            return byName;
        }
        // kubectl's RESOURCE.GROUP and RESOURCE.VERSION.GROUP forms; the group is matched whole.
        for (ApiResource r : types) {
            if (r.group().isEmpty()) {
                continue;
            }
            String suffix = "." + r.group();
            String suffixWithVersion = "." + r.version() + suffix;
            if (wanted.endsWith(suffixWithVersion) && matchesName(wanted.substring(0, wanted.length() - suffixWithVersion.length()), r)
                    || wanted.endsWith(suffix) && matchesName(wanted.substring(0, wanted.length() - suffix.length()), r)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matchesName(String wanted, ApiResource r) {
        return wanted.equals(r.plural()) || wanted.equals(r.singular()) || wanted.equals(r.kind().toLowerCase(Locale.ROOT))
                || r.shortNames().contains(wanted);
    }

    private static Set<String> names(List<ApiResource> types) {
        Set<String> names = new LinkedHashSet<>();
        types.forEach(r -> names.add(r.plural()));
        return names;
    }

    /** The types of every named group: {@code /apis}, then each group's preferred version, all at once. */
    private CompletableFuture<List<ApiResource>> groups() {
        return connection.getAsync("/apis", Operation.raw("discover", "API groups")).thenCompose(groups -> {
            // One request per group, all at once: a cluster with many CRD groups is read in
            // about one round trip instead of dozens.
            List<CompletableFuture<List<ApiResource>>> pending = new ArrayList<>();
            if (KubeValues.at(groups, "groups") instanceof List<?> list) {
                for (Object g : list) {
                    String name = KubeValues.string(g, "name");
                    String version = KubeValues.string(g, "preferredVersion.version");
                    if (version == null && KubeValues.at(g, "versions") instanceof List<?> vs && !vs.isEmpty()) {
                        version = KubeValues.string(vs.get(0), "version");
                    }
                    if (name != null && version != null) {
                        pending.add(groupResources(name, version));
                    }
                }
            }
            return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<ApiResource> out = new ArrayList<>();
                pending.forEach(f -> out.addAll(f.join()));
                return out;
            });
        });
    }

    private CompletableFuture<List<ApiResource>> groupResources(String group, String version) {
        return connection.getAsync("/apis/" + group + "/" + version, Operation.raw("discover", group + "/" + version))
                .handle((list, failure) -> {
                    if (failure == null) {
                        return parse(group, version, list);
                    }
                    KubeException e = ApiErrors.fromFailure(failure, connection.server());
                    // An aggregated API that is down (metrics-server, say) must not hide every
                    // other group: kubectl warns and goes on, and so do we.
                    if (e.reason() == Reason.SERVER || e.reason() == Reason.NOT_FOUND) {
                        return List.of();
                    }
                    throw e;
                });
    }

    private static List<ApiResource> parse(String group, String version, Object list) {
        List<ApiResource> out = new ArrayList<>();
        if (!(KubeValues.at(list, "resources") instanceof List<?> resources)) {
            return out;
        }
        for (Object r : resources) {
            String plural = KubeValues.string(r, "name");
            String kind = KubeValues.string(r, "kind");
            if (plural == null || kind == null || plural.contains("/")) {
                continue;
            }
            String singular = KubeValues.string(r, "singularName");
            if (singular == null || singular.isEmpty()) {
                singular = kind.toLowerCase(Locale.ROOT);
            }
            out.add(new ApiResource(group, version, plural, singular, kind,
                    Boolean.TRUE.equals(KubeValues.at(r, "namespaced")), strings(KubeValues.at(r, "verbs")),
                    strings(KubeValues.at(r, "shortNames"))));
        }
        return out;
    }

    private static List<String> strings(Object v) {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    @Override
    public String toString() {
        Discovery d = discovery;
        return "ApiResources" + (d == null ? "(not read)" : d.groupTypes().isDone() && !d.groupTypes().isCompletedExceptionally()
                ? Map.of("types", d.all().size()) : "(being read)");
    }
}
