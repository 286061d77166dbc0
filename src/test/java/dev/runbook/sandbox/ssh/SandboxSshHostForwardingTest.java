package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tunnels through a simulated host (how a kubernetes target {@code via:} it reaches the sandbox's
 * API server) go to 127.0.0.1 only. The refused target is another loopback address with a live
 * echo server on it, so a refusal cannot be mistaken for a connection that simply failed.
 */
class SandboxSshHostForwardingTest {
    @TempDir
    Path dir;

    private SandboxSshHost host;
    private JschClient client;

    @BeforeEach
    void start() throws Exception {
        host = SandboxSshHost.start("jump.example.com", Files.createDirectories(dir.resolve("jump")),
                CommandAnswers.none());
        client = JschClient.to(host);
    }

    @AfterEach
    void stop() {
        client.close();
        host.close();
    }

    @Test
    void aTunnelTo127001Works() throws Exception {
        try (EchoServer echo = new EchoServer("127.0.0.1")) {
            int local = client.session().setPortForwardingL("127.0.0.1", 0, "127.0.0.1", echo.port());

            assertThat(roundTrip(local, "ping\n")).isEqualTo("ping\n");
            assertThat(echo.accepted()).isEqualTo(1);
        }
    }

    @Test
    void aTunnelToLocalhostWorks() throws Exception {
        try (EchoServer echo = new EchoServer("127.0.0.1")) {
            int local = client.session().setPortForwardingL("127.0.0.1", 0, "localhost", echo.port());

            assertThat(roundTrip(local, "pong\n")).isEqualTo("pong\n");
        }
    }

    @Test
    void aTunnelToAnyOtherAddressIsRefused() throws Exception {
        EchoServer other;
        try {
            other = new EchoServer("127.0.0.2");
        } catch (IOException e) {
            assumeTrue(false, "this system cannot listen on 127.0.0.2 (" + e.getMessage() + ")");
            return;
        }
        try (other) {
            int local = client.session().setPortForwardingL("127.0.0.1", 0, "127.0.0.2", other.port());

            assertThat(roundTrip(local, "ping\n")).isEmpty();
            assertThat(other.accepted()).isZero();
        }
    }

    /** Sends a line through the tunnel and reads until the tunnel closes or the line comes back. */
    private static String roundTrip(int localPort, String line) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", localPort)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[line.length()];
            int read = 0;
            while (read < buffer.length) {
                int n = in.read(buffer, read, buffer.length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new String(buffer, 0, read, StandardCharsets.UTF_8);
        }
    }
}
