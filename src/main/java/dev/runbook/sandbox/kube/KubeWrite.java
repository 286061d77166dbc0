package dev.runbook.sandbox.kube;

import java.time.Instant;

/**
 * One write the API server accepted (server-side dry runs are not writes).
 *
 * @param verb        create, update, patch, apply or delete
 * @param resource    plural with its group: {@code pods}, {@code cassandraclusters.apic.ibm.com}
 * @param subresource {@code status} for a status write, else null
 * @param namespace   null for a cluster-scoped object
 */
public record KubeWrite(String verb, String resource, String subresource, String namespace, String name, Instant at) {
}
