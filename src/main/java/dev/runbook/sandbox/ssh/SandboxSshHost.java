package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.DefaultKeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.password.AcceptAllPasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.AcceptAllPublickeyAuthenticator;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * One simulated SSH host of a sandbox (SPEC 6.1): an SSH server on 127.0.0.1 that accepts any
 * user and any password or key, serves its folder over SFTP as {@code /}, answers commands from
 * a {@link CommandAnswers} instead of running them, and lets a client tunnel to 127.0.0.1 only.
 *
 * <p>Its host key is made in memory when it starts and never written anywhere: a client trusts
 * it for one run through {@link #hostKey()} or {@link #knownHostsLine()}.
 */
public final class SandboxSshHost implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";

    /**
     * @param port        the port to listen on, 0 for any free one
     * @param idleTimeout how long a connection may stay silent before the host drops it
     * @param ioThreads   threads serving the host's connections; a handful of clients need few
     */
    public record Options(int port, Duration idleTimeout, int ioThreads) {
        public static final Options DEFAULTS = new Options(0, Duration.ofMinutes(10), 2);

        public Options {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is between 0 and 65535, not " + port);
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be at least 1, not " + ioThreads);
            }
        }
    }

    private final String name;
    private final Path root;
    private final SshServer server;
    private final PublicKey hostKey;
    private final String keyEntry;

    private SandboxSshHost(String name, Path root, SshServer server, PublicKey hostKey) {
        this.name = name;
        this.root = root;
        this.server = server;
        this.hostKey = hostKey;
        this.keyEntry = PublicKeyEntry.toString(hostKey);
    }

    /** Starts the host {@code hostName} on its folder {@code root}, with the default options. */
    public static SandboxSshHost start(String hostName, Path root, CommandAnswers answers) throws SandboxSshException {
        return start(hostName, root, answers, Options.DEFAULTS);
    }

    public static SandboxSshHost start(String hostName, Path root, CommandAnswers answers, Options options)
            throws SandboxSshException {
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(answers, "answers");
        Objects.requireNonNull(options, "options");
        Path realRoot = realFolder(hostName, root);
        KeyPair keyPair = newHostKey(hostName);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(LOOPBACK);
        server.setPort(options.port());
        server.setKeyPairProvider(KeyPairProvider.wrap(keyPair));
        // Any user, any password or key: a sandbox tests runbooks, not credentials.
        server.setPasswordAuthenticator(AcceptAllPasswordAuthenticator.INSTANCE);
        server.setPublickeyAuthenticator(AcceptAllPublickeyAuthenticator.INSTANCE);
        server.setKeyboardInteractiveAuthenticator(new DefaultKeyboardInteractiveAuthenticator());
        server.setFileSystemFactory(ConfinedFileSystem.factory(realRoot));
        server.setSubsystemFactories(List.of(new SftpSubsystemFactory.Builder()
                .withSftpErrorStatusDataHandler(ConfinedFileSystem.errorMessages())
                .build()));
        server.setCommandFactory((channel, command) -> new AnsweredCommand(hostName, command, answers));
        server.setShellFactory(channel -> new RefusedShell(hostName));
        server.setForwardingFilter(new LoopbackOnlyForwarding());
        CoreModuleProperties.IDLE_TIMEOUT.set(server, options.idleTimeout());
        CoreModuleProperties.NIO_WORKERS.set(server, options.ioThreads());
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            stopQuietly(server);
            throw new SandboxSshException("sandbox: cannot start the simulated host " + hostName + " on "
                    + LOOPBACK + (options.port() == 0 ? "" : " port " + options.port()) + ": " + e.getMessage(), e);
        }
        return new SandboxSshHost(hostName, realRoot, server, keyPair.getPublic());
    }

    private static Path realFolder(String hostName, Path root) throws SandboxSshException {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new SandboxSshException("sandbox: the folder of simulated host " + hostName + ", " + root
                    + ", is not a directory");
        }
        try {
            return root.toRealPath();
        } catch (IOException e) {
            throw new SandboxSshException("sandbox: cannot read the folder of simulated host " + hostName + ", "
                    + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Ed25519 when MINA has an Ed25519 implementation (it brings its own through BouncyCastle,
     * not the JDK's: the key must come from its generator); ECDSA P-256 otherwise. Every current
     * client knows both.
     */
    private static KeyPair newHostKey(String hostName) throws SandboxSshException {
        try {
            if (SecurityUtils.isEDDSACurveSupported()) {
                try {
                    return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
                } catch (GeneralSecurityException | RuntimeException e) {
                    // An Ed25519 provider that cannot make keys after all: ECDSA does as well.
                }
            }
            return KeyUtils.generateKeyPair(KeyPairProvider.ECDSA_SHA2_NISTP256, 256);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SandboxSshException("sandbox: cannot make a host key for simulated host " + hostName
                    + ": " + e.getMessage(), e);
        }
    }

    private static void stopQuietly(SshServer server) {
        try {
            server.stop(true);
        } catch (IOException | RuntimeException e) {
            // Already failing with a better message.
        }
    }

    /** The host's name, as the runbook's ssh target gives it. */
    public String name() {
        return name;
    }

    /** The host's folder (its real path), which SFTP clients see as {@code /}. */
    public Path root() {
        return root;
    }

    /** Always 127.0.0.1: a sandbox listens on this machine only. */
    public String address() {
        return LOOPBACK;
    }

    public int port() {
        return server.getPort();
    }

    /** The host key, to trust for this run only. */
    public PublicKey hostKey() {
        return hostKey;
    }

    /** The key's type as known_hosts names it: {@code ssh-ed25519} or {@code ecdsa-sha2-nistp256}. */
    public String hostKeyType() {
        return keyEntry.substring(0, keyEntry.indexOf(' '));
    }

    /** The host key in the SSH wire encoding (what JSch's {@code HostKeyRepository.check} is given). */
    public byte[] hostKeyBlob() {
        return Base64.getDecoder().decode(keyEntry.substring(keyEntry.indexOf(' ') + 1).trim());
    }

    /** A line for a {@code known_hosts} file: {@code [127.0.0.1]:PORT ssh-ed25519 AAAA...}. */
    public String knownHostsLine() {
        return "[" + LOOPBACK + "]:" + port() + " " + keyEntry;
    }

    /** The fingerprint OpenSSH shows for this key, {@code SHA256:...}. */
    public String hostKeyFingerprint() {
        return KeyUtils.getFingerPrint(hostKey);
    }

    /** Stops listening and drops every connection at once. */
    @Override
    public void close() {
        stopQuietly(server);
    }

    @Override
    public String toString() {
        return "SandboxSshHost[" + name + " on " + LOOPBACK + ":" + port() + "]";
    }
}
