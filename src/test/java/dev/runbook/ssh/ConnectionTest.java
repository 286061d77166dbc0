package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.Session;
import dev.runbook.proc.OutputListener;
import dev.runbook.testing.OpenSshServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in (each key type and format, a password, the ssh config), forwarding, and every way a connection fails. */
@Timeout(120)
class ConnectionTest {
    static OpenSshServer server;
    static Path knownHosts;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
        knownHosts = server.trustedKnownHosts();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static SshTarget target() {
        return SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                .withKnownHosts(knownHosts.toString()).withSshConfig("none");
    }

    private static String whoami(SshTarget t) throws InterruptedException {
        try (SshConnections c = new SshConnections()) {
            return new RemoteExec(c).run(t, RemoteCommand.argv(List.of("id", "-un")), OutputListener.NONE).stdout().strip();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa", "ecdsa-pem", "rsa-pem"})
    void eachKeyTypeAndFormatLogsIn(String kind) throws Exception {
        assertThat(whoami(target().withIdentityFile(server.userKey(kind).toString()))).isEqualTo(server.user());
    }

    @Test
    void aPasswordLogsInAndIsInNoMessage() throws Exception {
        String password = server.passwordUser();
        SshTarget t = target().withUser(OpenSshServer.PASSWORD_USER).withPassword(password);
        assertThat(whoami(t)).isEqualTo(OpenSshServer.PASSWORD_USER);
        assertThat(t.toString()).doesNotContain(password).contains("password=(set)");
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailure() throws Exception {
        String password = server.passwordUser();
        SshTarget t = target().withUser(OpenSshServer.PASSWORD_USER).withPassword(password + "-wrong");
        assertThatThrownBy(() -> whoami(t))
                .isInstanceOf(SshException.class)
                .hasMessage("authentication failed for " + OpenSshServer.PASSWORD_USER + "@127.0.0.1:" + server.port()
                        + ": the server accepted none of: the password")
                .message().doesNotContain(password);
    }

    @Test
    void anUnknownKeyIsAnAuthenticationFailureNamingIt() {
        SshTarget t = target().withIdentityFile(server.strangerKey().toString());
        assertThatThrownBy(() -> whoami(t))
                .isInstanceOf(SshException.class)
                .hasMessage("authentication failed for " + server.user() + "@127.0.0.1:" + server.port()
                        + ": the server accepted none of: key " + server.strangerKey());
    }

    @Test
    void aMissingOrUnreadableIdentityFileIsSaidAsSuch() throws Exception {
        assertThatThrownBy(() -> whoami(target().withIdentityFile(dir.resolve("nope").toString())))
                .hasMessage("identity file " + dir.resolve("nope") + " for " + server.user() + "@127.0.0.1:" + server.port() + " does not exist");
        Path junk = Files.writeString(dir.resolve("junk"), "not a key");
        assertThatThrownBy(() -> whoami(target().withIdentityFile(junk.toString())))
                .hasMessageStartingWith("identity file " + junk + " is not a private key runbook can read");
    }

    @Test
    void aRefusedPortIsOneLine() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closed = s.getLocalPort();
        }
        SshTarget t = target().withPort(closed).withIdentityFile(server.userKey("ed25519").toString());
        assertThatThrownBy(() -> whoami(t))
                .isInstanceOf(SshException.class)
                .hasMessage("connection refused by 127.0.0.1 port " + closed + ": no SSH server listens there");
    }

    @Test
    void anUnknownHostIsOneLine() {
        SshTarget t = SshTarget.of("no-such-host.invalid").withSshConfig("none").withKnownHosts(knownHosts.toString())
                .withIdentityFile(server.userKey("ed25519").toString());
        assertThatThrownBy(() -> whoami(t))
                .isInstanceOf(SshException.class)
                .hasMessage("unknown host no-such-host.invalid: the name does not resolve");
    }

    @Test
    void aHostThatNeverAnswersIsOneLine() throws Exception {
        // Accepts the TCP connection (the backlog does) and never says a word, like a host behind a dropping firewall.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             SshConnections c = new SshConnections(Duration.ofSeconds(1), Duration.ofSeconds(15), null)) {
            SshTarget t = target().withPort(silent.getLocalPort()).withIdentityFile(server.userKey("ed25519").toString());
            assertThatThrownBy(() -> c.session(t))
                    .isInstanceOf(SshException.class)
                    .hasMessage("cannot reach 127.0.0.1 port " + silent.getLocalPort() + ": no answer within 1s");
        }
    }

    @Test
    void aConnectionWhoseServerStopsAnsweringIsDroppedAfterThreeKeepalives() throws Exception {
        SshTarget t = target().withIdentityFile(server.userKey("ed25519").toString());
        try (SshConnections c = new SshConnections(Duration.ofSeconds(15), Duration.ofMillis(500), null)) {
            List<Long> before = server.connectionProcesses();
            Session s = c.session(t);
            List<Long> mine = server.connectionProcesses().stream().filter(p -> !before.contains(p)).toList();
            assertThat(mine).hasSize(1);
            // Stopped sshd processes (the connection's, and its children, which a non-root login has)
            // keep the TCP connection open but answer nothing.
            List<String> pids = java.util.stream.Stream.concat(java.util.stream.Stream.of(mine.get(0)),
                    ProcessHandle.of(mine.get(0)).orElseThrow().descendants().map(ProcessHandle::pid)).map(String::valueOf).toList();
            signal("-STOP", pids);
            try {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (s.isConnected() && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                assertThat(s.isConnected()).as("dropped after three unanswered keepalives").isFalse();
            } finally {
                signal("-CONT", pids);
            }
            // The next use connects again.
            assertThat(new RemoteExec(c).run(t, RemoteCommand.argv(List.of("echo", "back")), OutputListener.NONE).stdout())
                    .isEqualTo("back\n");
        }
    }

    private static void signal(String sig, List<String> pids) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("kill", sig));
        cmd.addAll(pids);
        new ProcessBuilder(cmd).start().waitFor();
    }

    @Test
    void somethingThatIsNotAnSshServerIsOneLine() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (Socket c = s.accept()) {
                    c.getOutputStream().write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    // the test reads what the client says
                }
            });
            SshTarget t = target().withPort(s.getLocalPort()).withIdentityFile(server.userKey("ed25519").toString());
            assertThatThrownBy(() -> whoami(t)).isInstanceOf(SshException.class)
                    .hasMessageStartingWith("cannot connect to 127.0.0.1 port " + s.getLocalPort());
        }
    }

    @Test
    void theSshConfigGivesHostNamePortUserAndIdentityFile() throws Exception {
        Path config = Files.writeString(dir.resolve("config"), """
                Host db-*
                  HostName %s
                  Port %d
                Host db-backup
                  User %s
                  IdentityFile "%s"
                Host *
                  User someone-else
                """.formatted(server.host(), server.port(), server.user(), server.userKey("ecdsa")));
        SshTarget t = SshTarget.of("db-backup").withKnownHosts(knownHosts.toString()).withSshConfig(config.toString());
        assertThat(whoami(t)).isEqualTo(server.user());
        // What the target says wins over the config.
        assertThatThrownBy(() -> whoami(t.withPort(1))).hasMessageContaining("port 1 (db-backup)");
    }

    @Test
    void proxyJumpReachesTheHostThroughAnother() throws Exception {
        Path config = Files.writeString(dir.resolve("config"), """
                Host bastion
                  HostName %1$s
                  Port %2$d
                  User %3$s
                  IdentityFile %4$s
                Host inner
                  HostName %1$s
                  Port %2$d
                  User %3$s
                  IdentityFile %4$s
                  ProxyJump bastion
                """.formatted(server.host(), server.port(), server.user(), server.userKey("ed25519")));
        SshTarget t = SshTarget.of("inner").withKnownHosts(knownHosts.toString()).withSshConfig(config.toString());
        int before = server.connectionProcesses().size();
        try (SshConnections c = new SshConnections()) {
            assertThat(new RemoteExec(c).run(t, RemoteCommand.argv(List.of("echo", "via")), OutputListener.NONE).stdout()).isEqualTo("via\n");
            // Two SSH connections reached the server: the bastion's, and the inner one through it.
            assertThat(server.connectionProcesses().size() - before).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void aLocalPortForwardReachesAServiceTheHostSees() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
             SshConnections c = new SshConnections()) {
            Thread.ofVirtual().start(() -> {
                while (!echo.isClosed()) {
                    try {
                        Socket s = echo.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                                in.transferTo(out);
                            } catch (Exception e) {
                                // client went away
                            }
                        });
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            SshTarget t = target().withIdentityFile(server.userKey("ed25519").toString());
            try (PortForward f = PortForward.open(c, t, "127.0.0.1", echo.getLocalPort())) {
                assertThat(f.localPort()).isNotEqualTo(echo.getLocalPort()).isPositive();
                for (int i = 0; i < 2; i++) {
                    try (Socket s = new Socket("127.0.0.1", f.localPort())) {
                        byte[] msg = ("hello through ssh " + i).getBytes(StandardCharsets.UTF_8);
                        s.getOutputStream().write(msg);
                        // No half-close: JSch ends the whole channel at a local EOF (HTTP never half-closes).
                        assertThat(s.getInputStream().readNBytes(msg.length)).isEqualTo(msg);
                    }
                }
                int port = f.localPort();
                assertThat(c.session(t).getPortForwardingL()).containsExactly(port + ":127.0.0.1:" + echo.getLocalPort());
                f.close();
                // Not a connect attempt: on a busy machine another program may take the freed port.
                assertThat(c.session(t).getPortForwardingL()).isEmpty();
            }
        }
    }
}
