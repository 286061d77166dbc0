package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.JSchException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands sent to a simulated host over JSch are answered by the callback, never run. */
class SandboxSshHostExecTest {
    private static final String HOST = "backups.example.com";

    @TempDir
    Path dir;

    private final List<String> commandsSeen = new CopyOnWriteArrayList<>();
    private final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    private SandboxSshHost host;

    private Optional<CommandAnswer> answer(ExecRequest request) {
        commandsSeen.add(request.command());
        hostsSeen.add(request.host());
        String command = request.command();
        if (command.startsWith("df ")) {
            return Optional.of(CommandAnswer.of("4096000\n", "df: warning\n", 3));
        }
        if (command.equals("tr a-z A-Z")) {
            String in = new String(request.stdin(), StandardCharsets.UTF_8);
            return Optional.of(CommandAnswer.of(in.toUpperCase(Locale.ROOT), "", 0));
        }
        if (command.equals("broken-rule")) {
            throw new IllegalStateException("rule 3 has no stdout");
        }
        if (command.contains("tar -tzf")) {
            return Optional.of(CommandAnswer.of("", "gzip: stdin: unexpected end of file\n", 2));
        }
        return Optional.empty();
    }

    @BeforeEach
    void start() throws Exception {
        Path root = Files.createDirectories(dir.resolve("hosts").resolve(HOST));
        host = SandboxSshHost.start(HOST, root, this::answer);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aCommandIsAnsweredWithTheCallbacksOutputAndExitCode() throws Exception {
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result result = client.exec("df -k /var/db");

            assertThat(result).isEqualTo(new JschClient.Result(3, "4096000\n", "df: warning\n"));
        }
        assertThat(hostsSeen).containsExactly(HOST);
    }

    @Test
    void aBashScriptCommandReachesTheCallbackExactlyAsSent() throws Exception {
        String command = "bash -eu -o pipefail -c 'tar -tzf /backups/mgmt-1-3.tar.gz | head -n 1 > \"/backups/first entry\"'";
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result result = client.exec(command);

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.stderr()).isEqualTo("gzip: stdin: unexpected end of file\n");
        }
        assertThat(commandsSeen).containsExactly(command);
    }

    @Test
    void aCommandWithoutAnAnswerExits127NamingSandboxYaml() throws Exception {
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result result = client.exec("systemctl restart nginx");

            assertThat(result.exitCode()).isEqualTo(127);
            assertThat(result.stdout()).isEmpty();
            assertThat(result.stderr()).isEqualTo("sandbox: no exec answer for 'systemctl restart nginx' on host "
                    + HOST + " (add one to sandbox.yaml)\n");
        }
    }

    @Test
    void nothingIsExecutedOnThisMachine() throws Exception {
        Path touched = dir.resolve("touched");
        Path written = dir.resolve("written");
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result touch = client.exec("touch " + touched);
            JschClient.Result script = client.exec("bash -eu -o pipefail -c 'echo planted > " + written + "'");

            assertThat(touch.exitCode()).isEqualTo(127);
            assertThat(script.exitCode()).isEqualTo(127);
        }
        assertThat(touched).doesNotExist();
        assertThat(written).doesNotExist();
    }

    @Test
    void standardInputReachesTheAnswer() throws Exception {
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result result = client.exec("tr a-z A-Z", "backup list\n".getBytes(StandardCharsets.UTF_8));

            assertThat(result).isEqualTo(new JschClient.Result(0, "BACKUP LIST\n", ""));
        }
    }

    @Test
    void anAnswerThatIgnoresStandardInputDoesNotWaitForItsEnd() throws Exception {
        // JSch without an input stream never closes the command's input: df must answer anyway.
        try (JschClient client = JschClient.to(host)) {
            long start = System.nanoTime();
            JschClient.Result result = client.exec("df -k /", null);

            assertThat(result.exitCode()).isEqualTo(3);
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        }
    }

    @Test
    void aCallbackThatFailsExitsOneWithItsMessage() throws Exception {
        try (JschClient client = JschClient.to(host)) {
            JschClient.Result result = client.exec("broken-rule");

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.stderr()).isEqualTo(
                    "sandbox: answering 'broken-rule' on host " + HOST + " failed: rule 3 has no stdout\n");
        }
    }

    @Test
    void anyUserAndPasswordIsAcceptedButOnlyTheHostsOwnKeyIsTrusted() throws Exception {
        byte[] otherKey = host.hostKeyBlob();
        otherKey[otherKey.length - 1] ^= 1;

        assertThatThrownBy(() -> new JschClient(host.port(), otherKey)).isInstanceOf(JSchException.class);
        try (JschClient client = JschClient.to(host)) {
            assertThat(client.session().isConnected()).isTrue();
        }
        // JSch answers the server's "Password:" prompt with the session's password.
        try (JschClient client = new JschClient(host.port(), host.hostKeyBlob(), "keyboard-interactive")) {
            assertThat(client.exec("df -k /").exitCode()).isEqualTo(3);
        }
    }

    @Test
    void theKnownHostsLineNamesTheAddressPortAndKey() {
        assertThat(host.port()).isPositive();
        assertThat(host.hostKeyType()).isIn("ssh-ed25519", "ecdsa-sha2-nistp256");
        assertThat(host.knownHostsLine()).matches(
                "\\[127\\.0\\.0\\.1]:" + host.port() + " " + host.hostKeyType() + " AAAA[A-Za-z0-9+/=]+");
        assertThat(host.hostKeyFingerprint()).matches("SHA256:[A-Za-z0-9+/]{43}");
    }
}
