package dev.runbook.kube;

/**
 * Where a kubectl verb goes: a kubeconfig file (null: {@code KUBECONFIG}, else
 * {@code ~/.kube/config}), a context (null: the current context) and a default namespace (null:
 * the context's, else {@code default}).
 */
public record KubeTarget(String kubeconfig, String context, String namespace) {

    /** The current context of the usual kubeconfig, as {@code kubectl} with no flags. */
    public static KubeTarget current() {
        return new KubeTarget(null, null, null);
    }

    public KubeTarget withNamespace(String ns) {
        return new KubeTarget(kubeconfig, context, ns);
    }
}
