package dev.runbook.sandbox.kube;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kinds the server knows: the built-in ones runbooks use, and one per served version of every
 * CustomResourceDefinition stored. Discovery documents are rendered from here, so what kubectl
 * resolves (short names, categories) is exactly what the CRDs declare.
 */
final class ResourceRegistry {
    private final List<ResourceType> builtIn = builtInTypes();
    private final Map<String, List<ResourceType>> fromCrds = new LinkedHashMap<>();
    private final List<ResourceType> all = new CopyOnWriteArrayList<>(builtIn);
    /** {@code additionalPrinterColumns} of each served CRD version, by {@code plural.group/version}. */
    private final Map<String, JsonNode> printerColumns = new java.util.concurrent.ConcurrentHashMap<>();

    private static List<ResourceType> builtInTypes() {
        List<String> all = List.of("all");
        List<String> none = List.of();
        List<ResourceType> types = new ArrayList<>();
        types.add(core("pods", "pod", "Pod", true, List.of("po"), all, true));
        types.add(core("services", "service", "Service", true, List.of("svc"), all, true));
        types.add(core("secrets", "secret", "Secret", true, none, none, false));
        types.add(core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), none, false));
        types.add(core("namespaces", "namespace", "Namespace", false, List.of("ns"), none, true));
        types.add(core("nodes", "node", "Node", false, List.of("no"), none, true));
        types.add(core("events", "event", "Event", true, List.of("ev"), none, false));
        types.add(core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
                List.of("pvc"), none, true));
        types.add(core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), none, false));
        types.add(new ResourceType("apps", "v1", "deployments", "deployment", "Deployment", true,
                List.of("deploy"), all, ResourceType.ALL_VERBS, true));
        types.add(new ResourceType("apps", "v1", "statefulsets", "statefulset", "StatefulSet", true,
                List.of("sts"), all, ResourceType.ALL_VERBS, true));
        types.add(new ResourceType("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true,
                List.of("rs"), all, ResourceType.ALL_VERBS, true));
        types.add(new ResourceType("batch", "v1", "jobs", "job", "Job", true, none, all, ResourceType.ALL_VERBS,
                true));
        types.add(new ResourceType("batch", "v1", "cronjobs", "cronjob", "CronJob", true, List.of("cj"), all,
                ResourceType.ALL_VERBS, true));
        types.add(new ResourceType("authorization.k8s.io", "v1", "selfsubjectaccessreviews",
                "selfsubjectaccessreview", "SelfSubjectAccessReview", false, none, none, List.of("create"), false));
        types.add(new ResourceType("apiextensions.k8s.io", "v1", "customresourcedefinitions",
                "customresourcedefinition", "CustomResourceDefinition", false, List.of("crd", "crds"), none,
                ResourceType.ALL_VERBS, true));
        return List.copyOf(types);
    }

    private static ResourceType core(String plural, String singular, String kind, boolean namespaced,
            List<String> shortNames, List<String> categories, boolean status) {
        return new ResourceType("", "v1", plural, singular, kind, namespaced, shortNames, categories,
                ResourceType.ALL_VERBS, status);
    }

    List<ResourceType> all() {
        return all;
    }

    Optional<ResourceType> byPlural(String group, String version, String plural) {
        return all.stream()
                .filter(t -> t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural))
                .findFirst();
    }

    Optional<ResourceType> byKind(String apiVersion, String kind) {
        return all.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
    }

    /** The CRD's {@code additionalPrinterColumns} for this kind and version; empty for none or a built-in kind. */
    Optional<JsonNode> printerColumns(ResourceType type) {
        return Optional.ofNullable(printerColumns.get(type.qualifiedPlural() + "/" + type.version()));
    }

    boolean isBuiltIn(ResourceType type) {
        return builtIn.contains(type);
    }

    boolean servesGroupVersion(String group, String version) {
        return all.stream().anyMatch(t -> t.group().equals(group) && t.version().equals(version));
    }

    /** Registers (or re-registers) the kinds a CRD declares; a CRD without a group or names is skipped. */
    synchronized void registerCrd(JsonNode crd) {
        String crdName = Json.name(crd);
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        String group = spec.path("group").asString("");
        String plural = names.path("plural").asString("");
        String kind = names.path("kind").asString("");
        List<ResourceType> types = new ArrayList<>();
        if (!group.isEmpty() && !plural.isEmpty() && !kind.isEmpty()) {
            String singular = names.path("singular").asString(kind.toLowerCase(java.util.Locale.ROOT));
            boolean namespaced = !"Cluster".equals(spec.path("scope").asString("Namespaced"));
            for (JsonNode version : spec.path("versions")) {
                if (!version.path("served").asBoolean(true)) {
                    continue;
                }
                boolean status = version.path("subresources").has("status")
                        || spec.path("subresources").has("status");
                // v1 declares columns per version; v1beta1 once declared them for the whole CRD.
                JsonNode columns = version.has("additionalPrinterColumns") ? version.path("additionalPrinterColumns")
                        : spec.path("additionalPrinterColumns");
                String key = plural + "." + group + "/" + version.path("name").asString();
                if (columns.isArray() && !columns.isEmpty()) {
                    printerColumns.put(key, columns);
                } else {
                    printerColumns.remove(key);
                }
                types.add(new ResourceType(group, version.path("name").asString(), plural, singular, kind,
                        namespaced, strings(names.path("shortNames")), strings(names.path("categories")),
                        ResourceType.ALL_VERBS, status));
            }
        }
        fromCrds.put(crdName, types);
        rebuild();
    }

    synchronized void unregisterCrd(JsonNode crd) {
        fromCrds.remove(Json.name(crd));
        printerColumns.keySet().removeIf(k -> k.startsWith(Json.name(crd) + "/"));
        rebuild();
    }

    private void rebuild() {
        List<ResourceType> next = new ArrayList<>(builtIn);
        fromCrds.values().forEach(next::addAll);
        all.clear();
        all.addAll(next);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return List.copyOf(out);
    }

    // --- discovery documents ---------------------------------------------------------------

    ObjectNode apiVersions(String serverAddress) {
        ObjectNode doc = Json.object().put("kind", "APIVersions");
        doc.putArray("versions").add("v1");
        doc.putArray("serverAddressByClientCIDRs").addObject()
                .put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
        return doc;
    }

    ObjectNode groupList() {
        ObjectNode doc = Json.object().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = doc.putArray("groups");
        groupNames().forEach(g -> groups.add(group(g)));
        return doc;
    }

    private List<String> groupNames() {
        return all.stream().map(ResourceType::group).filter(g -> !g.isEmpty()).distinct().toList();
    }

    Optional<ObjectNode> groupDocument(String group) {
        if (!groupNames().contains(group)) {
            return Optional.empty();
        }
        return Optional.of(group(group).put("kind", "APIGroup").put("apiVersion", "v1"));
    }

    private ObjectNode group(String group) {
        ObjectNode doc = Json.object().put("name", group);
        ArrayNode versions = doc.putArray("versions");
        List<String> served = all.stream().filter(t -> t.group().equals(group)).map(ResourceType::version)
                .distinct().toList();
        served.forEach(v -> versions.addObject().put("groupVersion", group + "/" + v).put("version", v));
        doc.putObject("preferredVersion").put("groupVersion", group + "/" + served.get(0))
                .put("version", served.get(0));
        return doc;
    }

    ObjectNode resourceList(String group, String version) {
        ObjectNode doc = Json.object().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode resources = doc.putArray("resources");
        for (ResourceType t : all) {
            if (!t.group().equals(group) || !t.version().equals(version)) {
                continue;
            }
            ObjectNode r = resources.addObject().put("name", t.plural()).put("singularName", t.singular())
                    .put("namespaced", t.namespaced()).put("kind", t.kind());
            t.verbs().forEach(r.putArray("verbs")::add);
            if (!t.shortNames().isEmpty()) {
                t.shortNames().forEach(r.putArray("shortNames")::add);
            }
            if (!t.categories().isEmpty()) {
                t.categories().forEach(r.putArray("categories")::add);
            }
            if (t.statusSubresource()) {
                subresource(resources, t, "status", t.kind(), List.of("get", "patch", "update"));
            }
            if (t.plural().equals("pods") && t.group().isEmpty()) {
                subresource(resources, t, "log", "Pod", List.of("get"));
                subresource(resources, t, "exec", "PodExecOptions", List.of("create", "get"));
            }
        }
        return doc;
    }

    private static void subresource(ArrayNode resources, ResourceType t, String name, String kind,
            List<String> verbs) {
        ObjectNode r = resources.addObject().put("name", t.plural() + "/" + name).put("singularName", "")
                .put("namespaced", t.namespaced()).put("kind", kind);
        verbs.forEach(r.putArray("verbs")::add);
    }
}
