package dev.runbook.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real OpenSSH server for tests: {@code /usr/sbin/sshd -D -e} on 127.0.0.1 with a free port,
 * its own ed25519, ecdsa and rsa host keys and an authorized_keys file holding the test user
 * keys. Logins are for the user running the tests (root included), and, when the tests run as
 * root, for a dedicated password user. Tests skip, with the reason, where sshd is missing
 * ({@code scripts/install-test-tools} installs it).
 */
public final class OpenSshServer implements AutoCloseable {
    public static final String SSHD = "/usr/sbin/sshd";
    /** The dedicated user for password logins (created with useradd when the tests run as root). */
    public static final String PASSWORD_USER = "runbook-sshtest";

    private static Path sharedKeys;

    private final Path dir;
    private final Path keys;
    private final int port;
    private final Process process;

    private OpenSshServer(Path dir, Path keys, int port, Process process) {
        this.dir = dir;
        this.keys = keys;
        this.port = port;
        this.process = process;
    }

    /** Starts a server, or skips the calling test when this machine has no sshd. */
    public static OpenSshServer start() throws IOException, InterruptedException {
        return start(null);
    }

    /** A server that accepts the keys of {@code authorizedKeys} (null: the test user keys). */
    public static OpenSshServer start(Path authorizedKeys) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of(SSHD)),
                SSHD + " is missing: run scripts/install-test-tools (Debian's openssh-server) to run the ssh tests");
        Path keys = keys();
        Path dir = Files.createTempDirectory("rb-sshd");
        Files.createDirectories(Path.of("/run/sshd"));
        int port = freePort();
        Path config = dir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + keys.resolve("host_ed25519"),
                "HostKey " + keys.resolve("host_ecdsa"),
                "HostKey " + keys.resolve("host_rsa"),
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + (authorizedKeys != null ? authorizedKeys : keys.resolve("authorized_keys")),
                "StrictModes no",
                "UsePAM no",
                "PermitRootLogin yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes",
                "MaxSessions 30",
                "Subsystem sftp internal-sftp",
                "LogLevel INFO",
                ""));
        Process p = new ProcessBuilder(SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile())
                .start();
        OpenSshServer server = new OpenSshServer(dir, keys, port, p);
        server.awaitListening();
        return server;
    }

    private void awaitListening() throws IOException, InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited at start: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IOException("sshd did not listen on port " + port + " within 10s: " + log());
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("sshd.log"));
    }

    public int port() {
        return port;
    }

    public String host() {
        return "127.0.0.1";
    }

    /** The user the tests run as: the key logins' user. */
    public String user() {
        return System.getProperty("user.name");
    }

    /** A private key the server accepts: ed25519, ecdsa, rsa (OpenSSH format), ecdsa-pem, rsa-pem. */
    public Path userKey(String kind) {
        return keys.resolve("user_" + kind);
    }

    /** A private key the server does not accept. */
    public Path strangerKey() {
        return keys.resolve("stranger_ed25519");
    }

    /** The server's public host key of a type (ed25519, ecdsa, rsa), as "ssh-ed25519 AAAA...". */
    public String hostKey(String type) throws IOException {
        String[] f = Files.readString(keys.resolve("host_" + type + ".pub")).trim().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** The public half of {@link #strangerKey()}: a valid key that is not this server's. */
    public String strangerPublicKey() throws IOException {
        String[] f = Files.readString(keys.resolve("stranger_ed25519.pub")).trim().split("\\s+");
        return f[0] + " " + f[1];
    }

    /** "[127.0.0.1]:PORT": how known_hosts names this server. */
    /** A known_hosts file that trusts this server's ed25519 key, kept in its folder (gone after close). */
    public Path trustedKnownHosts() throws IOException {
        Path file = dir.resolve("client-known-hosts");
        knownHosts(file, knownHostsName() + " " + hostKey("ed25519"));
        return file;
    }

    public String knownHostsName() {
        return "[" + host() + "]:" + port;
    }

    /** Writes a known_hosts file with these lines. */
    public Path knownHosts(Path file, String... lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    /** Live processes sshd started for connections (its children); killing them drops those connections. */
    public List<Long> connectionProcesses() {
        long me = process.pid();
        return ProcessHandle.allProcesses()
                .filter(h -> h.parent().map(pp -> pp.pid() == me).orElse(false))
                .map(ProcessHandle::pid)
                .toList();
    }

    /**
     * Sets a fresh random password for {@link #PASSWORD_USER}, creating the user first if need
     * be, and returns it; skips the calling test when not running as root.
     */
    public String passwordUser() throws IOException, InterruptedException {
        assumeTrue("root".equals(user()), "password logins need a dedicated test user, which only root can create");
        if (run("id", PASSWORD_USER) != 0) {
            if (run("useradd", "-m", "-s", "/bin/bash", PASSWORD_USER) != 0) {
                throw new IOException("useradd " + PASSWORD_USER + " failed");
            }
        }
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        String password = "Pw-" + HexFormat.of().formatHex(b);
        Process p = new ProcessBuilder("chpasswd").redirectErrorStream(true).start();
        p.getOutputStream().write((PASSWORD_USER + ":" + password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("chpasswd failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return password;
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (long pid : connectionProcesses()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        deleteTree(dir);
    }

    /** Host and user keys, made once per test JVM (RSA takes a moment), removed at exit. */
    private static synchronized Path keys() throws IOException, InterruptedException {
        if (sharedKeys != null) {
            return sharedKeys;
        }
        Path k = Files.createTempDirectory("rb-ssh-keys");
        List<Process> gens = new ArrayList<>();
        gens.add(keygen(k, "host_ed25519", "ed25519"));
        gens.add(keygen(k, "host_ecdsa", "ecdsa"));
        gens.add(keygen(k, "host_rsa", "rsa", "-b", "3072"));
        gens.add(keygen(k, "user_ed25519", "ed25519"));
        gens.add(keygen(k, "user_ecdsa", "ecdsa"));
        gens.add(keygen(k, "user_rsa", "rsa", "-b", "3072"));
        gens.add(keygen(k, "user_ecdsa-pem", "ecdsa", "-m", "PEM"));
        gens.add(keygen(k, "user_rsa-pem", "rsa", "-b", "2048", "-m", "PEM"));
        gens.add(keygen(k, "stranger_ed25519", "ed25519"));
        for (Process p : gens) {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("ssh-keygen failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        StringBuilder authorized = new StringBuilder();
        for (String kind : List.of("ed25519", "ecdsa", "rsa", "ecdsa-pem", "rsa-pem")) {
            authorized.append(Files.readString(k.resolve("user_" + kind + ".pub")).trim()).append('\n');
        }
        Files.writeString(k.resolve("authorized_keys"), authorized);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(k)));
        sharedKeys = k;
        return k;
    }

    private static Process keygen(Path dir, String name, String type, String... more) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-C", name, "-t", type, "-f", dir.resolve(name).toString()));
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory
        }
    }
}
