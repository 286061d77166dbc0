package dev.runbook.ssh;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.io.Closeable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SSH connections of one run: one JSch session per target, opened on first use, reused by
 * every later step, kept alive (ServerAliveInterval) and closed with this object.
 */
public final class SshConnections implements Closeable {
    /** Host key algorithms, best first. Certificates are left out: known_hosts holds plain keys. */
    static final String HOST_KEY_ALGORITHMS =
            "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";
    /** User key signatures; RSA signs with SHA-2 only, as OpenSSH 8.8+ servers require. */
    static final String PUBKEY_ALGORITHMS = HOST_KEY_ALGORITHMS;

    /** A piece of work on a connected session. */
    @FunctionalInterface
    public interface SessionWork<T> {
        T run(Session session) throws Exception;
    }

    private record Connection(Session session, ResolvedTarget resolved) {
    }

    private final JSch jsch = new JSch();
    private final Map<SshTarget, Connection> open = new LinkedHashMap<>();
    /** Per connected session: whether its login shell is an unrestricted bash (see {@link RemoteExec}). */
    private final Map<Session, Boolean> bashLogin = new java.util.concurrent.ConcurrentHashMap<>();
    private final Duration connectTimeout;
    private final Duration keepAlive;
    private final String agentSocket;

    /** With the ssh-agent of this process's environment (SSH_AUTH_SOCK), if any. */
    public SshConnections() {
        this(System.getenv("SSH_AUTH_SOCK"));
    }

    /** @param agentSocket the ssh-agent socket to ask for keys (a run's SSH_AUTH_SOCK), or null for none */
    public SshConnections(String agentSocket) {
        this(Duration.ofSeconds(15), Duration.ofSeconds(15), agentSocket);
    }

    /**
     * @param connectTimeout how long the TCP connect and the SSH handshake may take
     * @param keepAlive      how often an idle connection is probed; three unanswered probes drop it
     * @param agentSocket    the ssh-agent socket, or null
     */
    public SshConnections(Duration connectTimeout, Duration keepAlive, String agentSocket) {
        this.connectTimeout = connectTimeout;
        this.keepAlive = keepAlive;
        this.agentSocket = agentSocket;
    }

    /** The target's session, connected: the open one, or a new one when there is none or it dropped. */
    public Session session(SshTarget target) {
        Connection c;
        synchronized (open) {
            c = open.get(target);
        }
        if (c != null && c.session().isConnected()) {
            return c.session();
        }
        synchronized (this) {
            synchronized (open) {
                c = open.get(target);
            }
            if (c != null && c.session().isConnected()) {
                return c.session();
            }
            Connection fresh = connect(target);
            synchronized (open) {
                open.put(target, fresh);
            }
            return fresh.session();
        }
    }

    /**
     * Runs {@code work}, a read that is safe to repeat, on the target's session; when it fails
     * because the connection dropped, connects again once and repeats it. Failures of the work
     * itself are the work's to explain: an {@link SshException} passes unchanged, anything else
     * becomes "what: message".
     */
    public <T> T read(SshTarget target, String what, SessionWork<T> work) {
        Session s = session(target);
        try {
            return work.run(s);
        } catch (SshException e) {
            if (s.isConnected()) {
                throw e;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(what + " was interrupted");
        } catch (Exception e) {
            if (s.isConnected()) {
                throw new SshException(what + " failed: " + e.getMessage());
            }
        }
        try {
            return work.run(session(target));
        } catch (SshException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException(what + " was interrupted");
        } catch (Exception e) {
            throw new SshException(what + " failed after connecting to " + describe(target) + " again: " + e.getMessage());
        }
    }

    /** {@code user@host[:port]} as the connection resolves it, for messages. */
    public String describe(SshTarget target) {
        synchronized (open) {
            Connection c = open.get(target);
            if (c != null) {
                return c.resolved().display();
            }
        }
        return SshConfigFile.resolve(target).display();
    }

    private Connection connect(SshTarget t) {
        ResolvedTarget r = SshConfigFile.resolve(t);
        StrictHostKeys hostKeys = hostKeys(t, r);
        KeyRing keys = KeyRing.load(r, agentSocket);
        Session s;
        try {
            s = jsch.getSession(r.user(), r.hostName(), r.port());
        } catch (JSchException e) {
            throw new SshException("cannot connect to " + r.display() + ": " + e.getMessage());
        }
        s.setHostKeyRepository(hostKeys);
        s.setConfig("StrictHostKeyChecking", t.insecureSkipHostKeyCheck() ? "no" : "yes");
        s.setConfig("HashKnownHosts", "no");
        s.setConfig("server_host_key", HOST_KEY_ALGORITHMS);
        s.setConfig("PubkeyAcceptedAlgorithms", PUBKEY_ALGORITHMS);
        s.setConfig("PreferredAuthentications",
                t.password() != null ? "publickey,keyboard-interactive,password" : "publickey");
        s.setIdentityRepository(keys);
        s.setUserInfo(new PasswordAnswers(t.password()));
        if (t.password() != null) {
            s.setPassword(t.password());
        }
        if (r.jump() != null) {
            s.setProxy(new JumpProxy(session(r.jump())));
        }
        try {
            s.setServerAliveInterval((int) keepAlive.toMillis());
            s.setServerAliveCountMax(3);
            s.connect((int) connectTimeout.toMillis());
        } catch (JSchException e) {
            s.disconnect();
            throw ConnectErrors.explain(e, r, hostKeys, keys, connectTimeout.toMillis());
        }
        return new Connection(s, r);
    }

    /** The keys the host may present: known_hosts as configured, and the in-memory trusted key. */
    private static StrictHostKeys hostKeys(SshTarget t, ResolvedTarget r) {
        List<KnownHostsFile.Entry> entries = new ArrayList<>();
        String shown;
        if (t.knownHosts() != null) {
            shown = t.knownHosts();
            entries.addAll(KnownHostsFile.read(Path.of(SshConfigFile.expandHome(shown)), shown));
        } else {
            shown = "~/.ssh/known_hosts";
            if (t.trustedHostKey() == null) {
                entries.addAll(KnownHostsFile.read(Path.of(SshConfigFile.expandHome(shown)), shown));
                entries.addAll(KnownHostsFile.read(Path.of("/etc/ssh/ssh_known_hosts"), "/etc/ssh/ssh_known_hosts"));
            }
        }
        byte[] trusted = t.trustedHostKey() == null ? null : PublicKeys.parseOpenSsh(t.trustedHostKey());
        return new StrictHostKeys(r.hostName(), r.port(), shown, List.copyOf(entries), trusted);
    }

    /**
     * Whether the login shell of {@code session} is bash, not restricted: asked once per
     * connection with {@code probe}, remembered until the session is gone.
     */
    boolean loginShellIsBash(Session session, java.util.function.Predicate<Session> probe) {
        Boolean known = bashLogin.get(session);
        if (known != null) {
            return known;
        }
        boolean is = probe.test(session);
        if (!Thread.currentThread().isInterrupted()) { // an interrupted probe answered nothing
            bashLogin.put(session, is);
        }
        return is;
    }

    /** Disconnects every session, the jump hosts' last (they carry the others). */
    @Override
    public void close() {
        List<Connection> all;
        synchronized (open) {
            all = new ArrayList<>(open.values());
            open.clear();
        }
        bashLogin.clear();
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).session().disconnect();
        }
    }
}
