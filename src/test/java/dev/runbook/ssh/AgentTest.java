package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.proc.OutputListener;
import dev.runbook.testing.OpenSshServer;
import dev.runbook.testing.SshAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logging in with the keys of a real ssh-agent (started by the test, keys loaded with ssh-add)
 * and no identityFile: each key type, RSA signing with SHA-2 as OpenSSH 8.8+ requires, and a
 * passphrase-protected key that only the agent can use.
 */
@Timeout(120)
class AgentTest {
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

    /** No identityFile, no ssh config: only the agent (or this user's default keys, which the server does not know) can log in. */
    private static SshTarget target() {
        return SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                .withKnownHosts(knownHosts.toString()).withSshConfig("none");
    }

    private static String whoami(SshTarget t, String agentSocket) throws InterruptedException {
        try (SshConnections c = new SshConnections(agentSocket)) {
            return new RemoteExec(c).run(t, RemoteCommand.argv(List.of("id", "-un")), OutputListener.NONE).stdout().strip();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void aKeyHeldByTheAgentLogsIn(String kind) throws Exception {
        try (SshAgent agent = SshAgent.start(dir)) {
            agent.add(server.userKey(kind));
            assertThat(whoami(target(), agent.socket().toString())).isEqualTo(server.user());
        }
    }

    @Test
    void withoutTheAgentTheSameTargetIsRefusedNamingWhatWasOffered() throws Exception {
        try (SshAgent agent = SshAgent.start(dir)) {
            agent.add(server.userKey("ed25519"));
            assertThatThrownBy(() -> whoami(target(), null))
                    .isInstanceOf(SshException.class)
                    .hasMessageStartingWith("authentication failed for " + server.user() + "@127.0.0.1:" + server.port() + ": ")
                    .message().doesNotContain("the keys of ssh-agent");
            // An agent that holds no key the server knows is offered, and named in the failure.
            try (SshAgent empty = SshAgent.start(Files.createDirectory(dir.resolve("empty")))) {
                assertThatThrownBy(() -> whoami(target(), empty.socket().toString()))
                        .isInstanceOf(SshException.class)
                        .hasMessageContaining("the keys of ssh-agent");
            }
        }
    }

    @Test
    void aPassphraseProtectedKeyIsUsedThroughTheAgent() throws Exception {
        Path key = dir.resolve("locked_ed25519");
        SshAgent.keygen(key, "a passphrase");
        Path authorized = dir.resolve("authorized_keys");
        Files.writeString(authorized, Files.readString(Path.of(key + ".pub")));
        try (OpenSshServer own = OpenSshServer.start(authorized); SshAgent agent = SshAgent.start(dir)) {
            Path kh = own.knownHosts(dir.resolve("known_hosts"), own.knownHostsName() + " " + own.hostKey("ed25519"));
            SshTarget t = SshTarget.of(own.host()).withPort(own.port()).withUser(own.user())
                    .withKnownHosts(kh.toString()).withSshConfig("none").withIdentityFile(key.toString());
            // Without the agent the named key cannot be unlocked: runbook never asks for a passphrase.
            assertThatThrownBy(() -> whoami(t, null)).isInstanceOf(SshException.class)
                    .hasMessageContaining("is protected by a passphrase").hasMessageContaining("ssh-add " + key);
            agent.add(key, "a passphrase");
            assertThat(whoami(t, agent.socket().toString())).isEqualTo(own.user());
        }
    }
}
