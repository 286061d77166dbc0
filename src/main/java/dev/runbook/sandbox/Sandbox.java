package dev.runbook.sandbox;

import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.sandbox.kube.KubeWrite;
import dev.runbook.sandbox.kube.SandboxApiServer;
import dev.runbook.sandbox.kube.SandboxKubeException;
import dev.runbook.sandbox.kube.WriteListener;
import dev.runbook.sandbox.ssh.SandboxSshException;
import dev.runbook.sandbox.ssh.SandboxSshHost;
import dev.runbook.sandbox.ssh.SandboxSshHosts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running simulated world (SPEC 6.1): the run's own copy of DIR, its Kubernetes API server, its
 * SSH hosts and its controllers. {@link #close} stops them all; the copy stays, so that a resume
 * finds the world as the run left it.
 */
public final class Sandbox implements SimulatedWorld, AutoCloseable {
    public static final String WORLD = "world";
    public static final String KUBECONFIG = "kubeconfig";
    public static final String CONTROLLERS_LOG = "controllers.log";
    public static final String KUBE_CACHE = "kube-cache";

    private final Path source;
    private final Path root;
    private final Path kubeconfig;
    private final SandboxConfig config;
    private final SandboxApiServer server;
    private final SandboxSshHosts hosts;
    private final Controllers controllers;
    private final Map<String, String> processEnvironment;

    private Sandbox(Path source, Path root, Path kubeconfig, SandboxConfig config, SandboxApiServer server,
                    SandboxSshHosts hosts, Controllers controllers, Map<String, String> processEnvironment) {
        this.source = source;
        this.root = root;
        this.kubeconfig = kubeconfig;
        this.config = config;
        this.server = server;
        this.hosts = hosts;
        this.controllers = controllers;
        this.processEnvironment = processEnvironment;
    }

    /**
     * Starts the world of {@code dir} in {@code workDir}: {@code workDir/world/} is the copy (made
     * now, or reused when an earlier start made it), {@code workDir/kubeconfig} and
     * {@code workDir/controllers.log} are written there too. DIR itself is only read.
     *
     * @param writes told of every write the API server accepts (on its I/O thread: be quick)
     */
    public static Sandbox start(Path dir, Path workDir, WriteListener writes) {
        Path source = dir.toAbsolutePath().normalize();
        Path root = workDir.toAbsolutePath().normalize().resolve(WORLD);
        if (!Files.isDirectory(root)) {
            SandboxConfig.checkDir(source);
            WorldCopy.copy(source, root);
        }
        // The copy's sandbox.yaml is what this run answers with: a resume answers as the run began.
        SandboxConfig config = SandboxConfig.read(root);
        Path kubeconfig = root.getParent().resolve(KUBECONFIG);
        SandboxApiServer server = null;
        SandboxSshHosts hosts = null;
        try {
            server = SandboxApiServer.start(root, SandboxApiServer.Options.defaults()
                    .withNamespace(config.namespace())
                    .withExec(RuleAnswers.pods(config))
                    .withLogs(RuleAnswers.logs(config))
                    .withWrites(writes == null ? WriteListener.NONE : writes));
            server.writeKubeconfig(kubeconfig, config.namespace());
            hosts = SandboxSshHosts.startAll(root.resolve("hosts"), RuleAnswers.hosts(config));
            Map<String, String> env = processEnvironment(root, kubeconfig);
            Controllers controllers = Controllers.start(root.resolve("controllers"), env,
                    root.getParent().resolve(CONTROLLERS_LOG));
            return new Sandbox(source, root, kubeconfig, config, server, hosts, controllers, env);
        } catch (SandboxKubeException e) {
            closeQuietly(hosts, server);
            throw new SandboxException(e.getMessage(), e);
        } catch (SandboxSshException e) {
            closeQuietly(hosts, server);
            throw new SandboxException(e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(hosts, server);
            throw e;
        }
    }

    private static Map<String, String> processEnvironment(Path root, Path kubeconfig) {
        Map<String, String> env = new LinkedHashMap<>();
        String path = System.getenv("PATH");
        String bin = root.resolve("bin").toString();
        env.put("PATH", path == null || path.isEmpty() ? bin : bin + File.pathSeparator + path);
        env.put("KUBECONFIG", kubeconfig.toString());
        env.put("RUNBOOK_SANDBOX", root.toString());
        // kubectl caches discovery under ~/.kube/cache: kept with the world instead, so a run touches nothing of the user's.
        env.put("KUBECACHEDIR", root.getParent().resolve(KUBE_CACHE).toString());
        return Map.copyOf(env);
    }

    private static void closeQuietly(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // already failing: the first error is the one to report
                }
            }
        }
    }

    /** The DIR this world was copied from. */
    public Path source() {
        return source;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public Path kubeconfig() {
        return kubeconfig;
    }

    @Override
    public String namespace() {
        return config.namespace();
    }

    /** The API server's address, {@code http://127.0.0.1:PORT}. */
    public String apiServerUrl() {
        return server.url();
    }

    /** The simulated hosts by name, in name order. */
    /** The simulated hosts by name, in name order. */
    public java.util.SortedMap<String, SshEndpoint> sshHosts() {
        java.util.SortedMap<String, SshEndpoint> out = new java.util.TreeMap<>();
        hosts.all().forEach((name, h) -> out.put(name, endpoint(h)));
        return out;
    }

    @Override
    public SshEndpoint sshHost(String host) throws ActionException {
        return hosts.find(host).map(Sandbox::endpoint).orElseThrow(() -> new ActionException(
                "sandbox: there is no simulated host '" + host + "': create the folder "
                        + source.resolve("hosts").resolve(host) + "/ (its file system root) in the sandbox"));
    }

    private static SshEndpoint endpoint(SandboxSshHost h) {
        return new SshEndpoint(h.address(), h.port(), h.hostKey(), h.knownHostsLine());
    }

    @Override
    public Map<String, String> processEnvironment() {
        return processEnvironment;
    }

    /** The writes the API server recorded in this world, earlier starts' included. */
    public List<KubeWrite> recordedWrites() {
        return server.recordedWrites();
    }

    /** Stops the controllers first (they talk to the server), then the hosts and the server. */
    @Override
    public void close() {
        closeQuietly(controllers, hosts, server);
    }
}
