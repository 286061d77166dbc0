package dev.runbook.actions.ssh;

import dev.runbook.actions.Outputs;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.lang.model.Target;
import dev.runbook.ssh.PortForward;
import dev.runbook.ssh.SshConnections;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes targets reached {@code via:} an ssh target (SPEC section 1): the cluster's API is
 * reachable only from that host, so the kubeconfig is read there and its API server is reached
 * through an SSH tunnel, after which every kubectl verb behaves as it does locally.
 */
public final class Tunnels {
    /** Where the kubeconfig is on the host when the target names none: root's, as on an appliance. */
    public static final String DEFAULT_KUBECONFIG = "/root/.kube/config";

    private Tunnels() {
    }

    /**
     * The kubeconfig as read on the host, and the local URL of the tunnel to its API server.
     * The server's certificate names the server of the kubeconfig, not 127.0.0.1: a client
     * checks it against that name (its TLS server name), which the kubeconfig still holds.
     */
    public record Through(String kubeconfigYaml, String serverUrl) {
    }

    /**
     * Opens (once per run) the tunnel for {@code target}, whose {@code via} names an ssh target.
     * In a sandbox run the kubeconfig is the sandbox's own, and its API server is reached through
     * the simulated host all the same.
     */
    public static Through kubeconfigVia(ActionContext ctx, Target.Kubernetes target) throws ActionException {
        if (target.via() == null) {
            throw new ActionException("kubernetes target '" + target.name() + "' is not reached via an ssh target");
        }
        String path = ctx.string(target.kubeconfig(), "kubeconfig of target " + target.name());
        String contextName = ctx.string(target.context(), "context of target " + target.name());
        Map<String, Through> open = ctx.run().resource("ssh-tunnels", java.util.concurrent.ConcurrentHashMap::new);
        String key = target.via() + '\0' + path + '\0' + contextName;
        synchronized (open) {
            Through known = open.get(key);
            if (known != null) {
                return known;
            }
            SshTarget host = SshTargets.resolve(ctx, SshTargets.named(ctx, target.via()));
            SshConnections connections = SshTargets.connections(ctx);
            String shownPath = path == null ? DEFAULT_KUBECONFIG : path;
            String yaml = read(ctx, connections, host, shownPath, target.via());
            String server = server(yaml, contextName, shownPath + " on " + target.via());
            URI uri;
            try {
                uri = new URI(server);
            } catch (URISyntaxException e) {
                throw new ActionException("the API server '" + server + "' in " + shownPath + " on " + target.via() + " is not a URL");
            }
            if (uri.getHost() == null) {
                throw new ActionException("the API server '" + server + "' in " + shownPath + " on " + target.via() + " names no host");
            }
            boolean https = !"http".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
            PortForward forward;
            try {
                forward = PortForward.open(connections, host, uri.getHost(), port);
            } catch (SshException e) {
                throw new ActionException(through(target.via()) + e.getMessage());
            }
            // Closed with the run (resources close last made first, so before the connections).
            ctx.run().resource("ssh-tunnel " + key, () -> forward);
            Through t = new Through(yaml, (https ? "https" : "http") + "://127.0.0.1:" + forward.localPort());
            open.put(key, t);
            return t;
        }
    }

    /** The kubeconfig text: from the host (read with the target's sudo), or the sandbox's own. */
    private static String read(ActionContext ctx, SshConnections connections, SshTarget host, String path, String via)
            throws ActionException {
        SimulatedWorld world = ctx.run().world();
        if (world != null) {
            try {
                return Files.readString(world.kubeconfig(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ActionException("cannot read the sandbox kubeconfig " + world.kubeconfig() + ": " + e.getMessage());
            }
        }
        // "~/x" is relative to the login directory, which is where a remote command starts.
        String remote = path.startsWith("~/") ? path.substring(2) : path;
        try {
            return new String(PortForward.readFile(connections, host, remote), StandardCharsets.UTF_8);
        } catch (SshException e) {
            throw new ActionException(through(via) + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ActionException("reading " + path + " on " + via + " was interrupted");
        }
    }

    /**
     * Says that the failure is the ssh host's, not the cluster's: a kubectl step that fails with
     * "connection refused by HOST port 22" alone would send its reader to the API server.
     */
    private static String through(String via) {
        return "through ssh target " + via + ": ";
    }

    /** The server URL of {@code contextName} (null: the current context) in a kubeconfig. */
    static String server(String yaml, String contextName, String where) throws ActionException {
        if (!(Outputs.yaml(yaml, where) instanceof Map<?, ?> config)) {
            throw new ActionException(where + " is not a kubeconfig (not a YAML map)");
        }
        String name = contextName != null ? contextName : text(config.get("current-context"));
        if (name == null || name.isEmpty()) {
            throw new ActionException(where + " has no current-context; name one with context: on the target");
        }
        Map<?, ?> context = named(config.get("contexts"), name, "context");
        if (context == null) {
            throw new ActionException(where + " has no context '" + name + "'");
        }
        String clusterName = text(context.get("cluster"));
        Map<?, ?> cluster = named(config.get("clusters"), clusterName, "cluster");
        String server = cluster == null ? null : text(cluster.get("server"));
        if (server == null || server.isEmpty()) {
            throw new ActionException(where + ": context '" + name + "' names cluster '" + clusterName
                    + "', which has no server");
        }
        return server;
    }

    /** The {@code field} map of the entry called {@code name} in a kubeconfig list. */
    private static Map<?, ?> named(Object list, String name, String field) {
        if (list instanceof List<?> entries && name != null) {
            for (Object e : entries) {
                if (e instanceof Map<?, ?> m && name.equals(text(m.get("name"))) && m.get(field) instanceof Map<?, ?> inner) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static String text(Object v) {
        return v == null ? null : v.toString();
    }
}
