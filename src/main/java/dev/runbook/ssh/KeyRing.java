package dev.runbook.ssh;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.UnixDomainSocketFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * The keys one connection offers: those of a running ssh-agent first (as OpenSSH does), then
 * the identity files. The agent is reached through JSch's own Unix-socket support (Java 16+
 * SocketChannel), so it needs no extra library.
 */
final class KeyRing implements IdentityRepository {
    private final List<Identity> files;
    private final IdentityRepository agent;
    private final List<String> offered;

    private KeyRing(List<Identity> files, IdentityRepository agent, List<String> offered) {
        this.files = files;
        this.agent = agent;
        this.offered = offered;
    }

    /**
     * @param agentSocket the ssh-agent socket (SSH_AUTH_SOCK of the run), or null for none
     */
    static KeyRing load(ResolvedTarget r, String agentSocket) {
        IdentityRepository agent = agent(agentSocket);
        List<Identity> loaded = new ArrayList<>();
        List<String> offered = new ArrayList<>();
        if (agent != null) {
            offered.add("the keys of ssh-agent");
        }
        for (String name : r.identityFiles()) {
            Path p = Path.of(SshConfigFile.expandHome(name));
            if (!Files.isRegularFile(p)) {
                if (r.identityGiven()) {
                    throw new SshException("identity file " + name + " for " + r.display() + " does not exist");
                }
                continue;
            }
            Identity id = read(p, name);
            if (id.isEncrypted()) {
                if (agent == null && r.identityGiven()) {
                    throw new SshException("identity file " + name + " is protected by a passphrase, which runbook does not ask for;"
                            + " load it into ssh-agent (ssh-add " + name + ") and run again");
                }
                continue; // the agent may hold it; a default key behind a passphrase is skipped as by ssh -o BatchMode=yes
            }
            loaded.add(id);
            offered.add("key " + name);
        }
        return new KeyRing(loaded, agent, offered);
    }

    private static Identity read(Path p, String shown) {
        try {
            JSch reader = new JSch();
            reader.addIdentity(p.toString());
            return reader.getIdentityRepository().getIdentities().firstElement();
        } catch (JSchException e) {
            throw new SshException("identity file " + shown + " is not a private key runbook can read"
                    + " (OpenSSH or PEM format, ed25519, ecdsa or rsa): " + e.getMessage());
        }
    }

    /** The running agent listening on {@code sock}, or null. */
    private static IdentityRepository agent(String sock) {
        if (sock == null || sock.isEmpty() || !Files.exists(Path.of(sock))) {
            return null;
        }
        try {
            AgentIdentityRepository repo = new AgentIdentityRepository(
                    new SSHAgentConnector(new UnixDomainSocketFactory(), Path.of(sock)));
            return repo.getStatus() == RUNNING ? repo : null;
        } catch (AgentProxyException | RuntimeException e) {
            return null;
        }
    }

    /** What was offered, for an authentication failure message ("key ~/.ssh/id_rsa", ...). */
    List<String> offered() {
        return offered;
    }

    @Override
    public String getName() {
        return "runbook";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    public Vector<Identity> getIdentities() {
        Vector<Identity> all = new Vector<>();
        if (agent != null) {
            try {
                all.addAll(agent.getIdentities());
            } catch (RuntimeException e) {
                // An agent that stopped answering leaves the files.
            }
        }
        all.addAll(files);
        return all;
    }

    @Override
    public boolean add(byte[] identity) {
        return false;
    }

    @Override
    public boolean remove(byte[] blob) {
        return false;
    }

    @Override
    public void removeAll() {
    }
}
