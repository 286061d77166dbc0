package dev.runbook.kube;

/**
 * What a request was doing, so that an error can say it in the operator's words: the verb
 * ({@code get}, {@code patch} ...), the resource as kubectl names it ({@code pods},
 * {@code cassandraclusters.apic.ibm.com}), and the object's name and namespace when known.
 */
record Operation(String verb, String resource, String name, String namespace) {

    static Operation of(String verb, ApiResource type, String name, String namespace) {
        return new Operation(verb, type.qualifiedName(), name, type.namespaced() ? namespace : null);
    }

    static Operation raw(String verb, String what) {
        return new Operation(verb, what, null, null);
    }

    /** "pods \"x\" in namespace y", "namespaces \"x\"", "pods in namespace y". */
    String describe() {
        StringBuilder sb = new StringBuilder(resource);
        if (name != null) {
            sb.append(" \"").append(name).append('"');
        }
        if (namespace != null) {
            sb.append(" in namespace ").append(namespace);
        }
        return sb.toString();
    }
}
