package dev.runbook.actions.ssh;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.lang.model.Target;

/**
 * Kubernetes targets reached {@code via:} an ssh target (SPEC section 1): the cluster's API is
 * reachable only from that host, so the kubeconfig is read there and its API server is reached
 * through an SSH tunnel, after which every kubectl verb behaves as it does locally.
 */
public final class Tunnels {
    private Tunnels() {
    }

    /** The kubeconfig as read on the host, and the local URL of the tunnel to its API server. */
    public record Through(String kubeconfigYaml, String serverUrl) {
    }

    /** Opens (once per run) the tunnel for {@code target}, whose {@code via} names an ssh target. */
    public static Through kubeconfigVia(ActionContext ctx, Target.Kubernetes target) throws ActionException {
        throw new ActionException("this build cannot reach a cluster via an ssh target yet");
    }
}
