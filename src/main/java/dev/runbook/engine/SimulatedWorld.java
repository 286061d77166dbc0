package dev.runbook.engine;

import java.nio.file.Path;
import java.util.Map;

/** The simulated world a sandbox run acts on instead of the real targets (SPEC 6.1); absent for real runs. */
public interface SimulatedWorld {
    /** The run's copy of DIR. */
    Path root();

    /** Every kubernetes target connects through this file (context 'sandbox'). */
    Path kubeconfig();

    /** sandbox.yaml's namespace (default "default"). */
    String namespace();

    /** The simulated host, or a clear error naming the folder to create. */
    SshEndpoint sshHost(String host) throws ActionException;

    /** PATH (DIR/bin first), KUBECONFIG, RUNBOOK_SANDBOX for every local process. */
    Map<String, String> processEnvironment();

    record SshEndpoint(String host, int port, java.security.PublicKey hostKey, String knownHostsLine) {}
}
