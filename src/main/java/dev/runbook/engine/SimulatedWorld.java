package dev.runbook.engine;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;

/**
 * The simulated world a sandbox run acts on instead of the real targets (SPEC section 6.1);
 * absent ({@link RunOptions#world()} null) for real runs. Handlers ask it where a kubernetes
 * target or an ssh host is; local processes get its environment.
 */
public interface SimulatedWorld {
    /** The run's copy of the sandbox folder. */
    Path root();

    /** Every kubernetes target connects through this file (current context {@code sandbox}). */
    Path kubeconfig();

    /** {@code sandbox.yaml}'s namespace, else {@code default}. */
    String namespace();

    /** The simulated host for {@code host}, or a clear error naming the folder to create. */
    SshEndpoint sshHost(String host) throws ActionException;

    /** PATH (the sandbox's bin first), KUBECONFIG and RUNBOOK_SANDBOX for every local process. */
    Map<String, String> processEnvironment();

    /**
     * Where a simulated host listens ({@code host} is its address, 127.0.0.1), and the host key
     * to trust for this run only.
     */
    record SshEndpoint(String host, int port, PublicKey hostKey, String knownHostsLine) {
    }
}
