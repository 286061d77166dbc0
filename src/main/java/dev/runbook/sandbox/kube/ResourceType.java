package dev.runbook.sandbox.kube;

import java.util.List;

/**
 * One kind of object the server serves, as discovery describes it.
 *
 * @param group empty for the core group ({@code /api/v1})
 */
record ResourceType(String group, String version, String plural, String singular, String kind, boolean namespaced,
        List<String> shortNames, List<String> categories, List<String> verbs, boolean statusSubresource) {

    static final List<String> ALL_VERBS =
            List.of("create", "delete", "get", "list", "patch", "update", "watch");

    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods}, {@code cassandraclusters.apic.ibm.com}: how writes name the resource. */
    String qualifiedPlural() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    /** The path of the collection, in a namespace for a namespaced kind. */
    String collectionPath(String namespace) {
        String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
        return namespaced ? base + "/namespaces/" + namespace + "/" + plural : base + "/" + plural;
    }
}
