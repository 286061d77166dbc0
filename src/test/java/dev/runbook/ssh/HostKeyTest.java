package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.proc.OutputListener;
import dev.runbook.testing.OpenSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host keys are checked strictly against known_hosts, which is never written. */
@Timeout(60)
class HostKeyTest {
    static OpenSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private SshTarget target(Path knownHosts) {
        return SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                .withIdentityFile(server.userKey("ed25519").toString())
                .withKnownHosts(knownHosts.toString()).withSshConfig("none");
    }

    /** Connects and runs `echo ok` on the host. */
    private static String echo(SshTarget t) throws InterruptedException {
        try (SshConnections c = new SshConnections()) {
            return new RemoteExec(c).run(t, RemoteCommand.argv(java.util.List.of("echo", "ok")), OutputListener.NONE).stdout();
        }
    }

    /** What ssh-keygen -l says the fingerprint of a public key is, to compare with ours. */
    private static String sshKeygenFingerprint(String publicKey, Path dir) throws Exception {
        Path f = dir.resolve("k.pub");
        Files.writeString(f, publicKey + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-E", "sha256", "-f", f.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out.split("\\s+")[1];
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void aKnownKeyOfEachTypeIsAcceptedAndTheKnownTypeIsTheOneAskedFor(String type) throws Exception {
        // Only this type is known: the client must ask the server for it (as OpenSSH orders
        // HostKeyAlgorithms), or it would be shown an unknown key of another type.
        Path kh = server.knownHosts(dir.resolve("known_hosts"), server.knownHostsName() + " " + server.hostKey(type));
        byte[] before = Files.readAllBytes(kh);
        assertThat(echo(target(kh))).isEqualTo("ok\n");
        assertThat(Files.readAllBytes(kh)).isEqualTo(before);
    }

    @Test
    void anUnknownKeyIsRefusedWithItsFingerprintAndTheLineThatAddsIt() throws Exception {
        Path kh = dir.resolve("known_hosts");
        assertThatThrownBy(() -> echo(target(kh)))
                .isInstanceOf(SshException.class)
                .hasMessageContaining("the host key of 127.0.0.1 (port " + server.port() + ") is not known")
                .hasMessageContaining(sshKeygenFingerprint(server.hostKey("ed25519"), dir))
                .hasMessageContaining("ssh-keyscan -p " + server.port() + " -t ed25519 127.0.0.1 >> " + kh);
        assertThat(kh).doesNotExist();
    }

    @Test
    void anUnknownKeyIsRefusedWhenOtherHostsAreKnown() throws Exception {
        // The same key under another port is another host: no fallback to the bare name.
        Path kh = server.knownHosts(dir.resolve("known_hosts"),
                "127.0.0.1 " + server.hostKey("ed25519"),
                "[127.0.0.1]:1 " + server.hostKey("ed25519"));
        assertThatThrownBy(() -> echo(target(kh))).hasMessageContaining("is not known");
        assertThat(Files.readAllLines(kh)).hasSize(2);
    }

    @Test
    void aChangedKeyIsRefusedLoudly() throws Exception {
        Path kh = server.knownHosts(dir.resolve("known_hosts"),
                "# an old install", server.knownHostsName() + " " + server.strangerPublicKey());
        assertThatThrownBy(() -> echo(target(kh)))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("WARNING: the host key of 127.0.0.1 (port " + server.port() + ") has CHANGED")
                .hasMessageContaining(sshKeygenFingerprint(server.hostKey("ed25519"), dir))
                .hasMessageContaining(kh + " line 2")
                .hasMessageContaining("ssh-keygen -R '" + server.knownHostsName() + "'");
        assertThat(Files.readAllLines(kh)).hasSize(2);
    }

    @Test
    void aHashedEntryMatches() throws Exception {
        byte[] salt = new byte[20];
        new java.security.SecureRandom().nextBytes(salt);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal(server.knownHostsName().getBytes(StandardCharsets.UTF_8));
        String hashed = "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
        Path kh = server.knownHosts(dir.resolve("known_hosts"), hashed + " " + server.hostKey("ecdsa"));
        assertThat(echo(target(kh))).isEqualTo("ok\n");
    }

    @Test
    void aFileHashedBySshKeygenMatches() throws Exception {
        Path kh = server.knownHosts(dir.resolve("known_hosts"), server.knownHostsName() + " " + server.hostKey("ed25519"));
        Process p = new ProcessBuilder("ssh-keygen", "-H", "-f", kh.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        assertThat(Files.readString(kh)).startsWith("|1|");
        assertThat(echo(target(kh))).isEqualTo("ok\n");
    }

    @Test
    void patternsAndNegationsMatchAsInOpenSsh() throws Exception {
        Path negated = server.knownHosts(dir.resolve("neg"),
                "[127.0.0.*]:" + server.port() + ",!" + server.knownHostsName() + " " + server.hostKey("ed25519"));
        assertThatThrownBy(() -> echo(target(negated))).hasMessageContaining("is not known");
        Path wildcard = server.knownHosts(dir.resolve("wild"), "[127.0.0.?]:" + server.port() + " " + server.hostKey("ed25519"));
        assertThat(echo(target(wildcard))).isEqualTo("ok\n");
    }

    @Test
    void aRevokedKeyIsRefused() throws Exception {
        Path kh = server.knownHosts(dir.resolve("known_hosts"),
                server.knownHostsName() + " " + server.hostKey("ed25519"),
                "@revoked * " + server.hostKey("ed25519"));
        assertThatThrownBy(() -> echo(target(kh))).hasMessageContaining("is marked @revoked in " + kh + " line 2");
    }

    @Test
    void aKeyTrustedInMemoryNeedsNoKnownHostsFile() throws Exception {
        SshTarget t = target(dir.resolve("none")).withKnownHosts(null).withTrustedHostKey(server.hostKey("rsa"));
        assertThat(echo(t)).isEqualTo("ok\n");
        SshTarget wrong = t.withTrustedHostKey(server.strangerPublicKey());
        assertThatThrownBy(() -> echo(wrong)).hasMessageContaining("is not known");
    }

    @Test
    void onlyInsecureSkipHostKeyCheckAcceptsAnyKey() throws Exception {
        Path kh = server.knownHosts(dir.resolve("known_hosts"), server.knownHostsName() + " " + server.strangerPublicKey());
        assertThat(echo(target(kh).withInsecureSkipHostKeyCheck(true))).isEqualTo("ok\n");
        assertThat(Files.readAllLines(kh)).containsExactly(server.knownHostsName() + " " + server.strangerPublicKey());
    }

    @Test
    void ourFingerprintIsOpenSshs() throws Exception {
        for (String type : new String[] {"ed25519", "ecdsa", "rsa"}) {
            String key = server.hostKey(type);
            assertThat(PublicKeys.fingerprint(PublicKeys.parseOpenSsh(key))).isEqualTo(sshKeygenFingerprint(key, dir));
        }
    }
}
