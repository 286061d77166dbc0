package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.testing.OpenSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SFTP against a real sshd over loopback: the "remote" side is a folder of this machine. */
@Timeout(120)
class SftpTest {
    static OpenSshServer server;
    static SshConnections connections;
    static SshTarget target;
    static Sftp sftp;

    @TempDir
    Path local;
    @TempDir
    Path remote;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
        Path kh = Files.createTempFile("rb-known", "");
        server.knownHosts(kh, server.knownHostsName() + " " + server.hostKey("ed25519"));
        target = SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                .withIdentityFile(server.userKey("ed25519").toString()).withKnownHosts(kh.toString()).withSshConfig("none");
        connections = new SshConnections();
        sftp = new Sftp(connections);
    }

    @AfterAll
    static void stop() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void listGivesNameSizeMtimeAndDirWithoutDotEntries() throws Exception {
        Files.write(remote.resolve("1-a.tar.gz"), new byte[1234]);
        Files.setLastModifiedTime(remote.resolve("1-a.tar.gz"), FileTime.fromMillis(1_700_000_000_000L));
        Files.createDirectory(remote.resolve("sub"));
        Files.writeString(remote.resolve("we*ird ?name\\"), "x");
        List<RemoteFile> files = sftp.list(target, remote.toString());
        assertThat(files).extracting(RemoteFile::name).containsExactly("1-a.tar.gz", "sub", "we*ird ?name\\");
        assertThat(files.get(0)).isEqualTo(new RemoteFile("1-a.tar.gz", 1234, 1_700_000_000L, false, null));
        assertThat(files.get(1).dir()).isTrue();
    }

    @Test
    void statGivesTheModeAsFourOctalDigits() throws Exception {
        Path f = Files.writeString(remote.resolve("conf"), "hello");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        RemoteFile s = sftp.stat(target, f.toString());
        assertThat(s.name()).isEqualTo("conf");
        assertThat(s.size()).isEqualTo(5);
        assertThat(s.mode()).isEqualTo("0640");
        assertThat(s.dir()).isFalse();
        assertThat(s.mtime()).isEqualTo(Files.getLastModifiedTime(f).toMillis() / 1000);
        assertThat(sftp.stat(target, remote.toString()).dir()).isTrue();
    }

    @Test
    void aMissingPathIsOneClearLine() {
        assertThatThrownBy(() -> sftp.stat(target, remote + "/absent"))
                .isInstanceOf(SshException.class)
                .hasMessage("no such file or directory on " + server.user() + "@127.0.0.1:" + server.port() + ": " + remote + "/absent");
        assertThatThrownBy(() -> sftp.list(target, remote + "/absent")).hasMessageStartingWith("no such file or directory on ");
    }

    @Test
    void getAndPutRoundTripSeveralMebibytesByteForByte() throws Exception {
        byte[] data = random(7 * 1024 * 1024 + 13, 1);
        Path src = Files.write(local.resolve("src.bin"), data);
        AtomicLong lastProgress = new AtomicLong();
        AtomicLong total = new AtomicLong();
        Transfer up = sftp.put(target, src, remote.resolve("up.bin").toString(), (soFar, all) -> {
            lastProgress.set(soFar);
            total.set(all);
        });
        assertThat(up).isEqualTo(new Transfer(src.toString(), remote.resolve("up.bin").toString(), data.length));
        assertThat(lastProgress.get()).isEqualTo(data.length);
        assertThat(total.get()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(remote.resolve("up.bin"))).isEqualTo(data);

        Transfer down = sftp.get(target, remote.resolve("up.bin").toString(), local.resolve("down.bin"), Sftp.Progress.NONE);
        assertThat(down.bytes()).isEqualTo(data.length);
        assertThat(Files.readAllBytes(local.resolve("down.bin"))).isEqualTo(data);
        assertThat(onlyFiles(local)).containsExactlyInAnyOrder("src.bin", "down.bin");
        assertThat(onlyFiles(remote)).containsExactly("up.bin");
    }

    @Test
    void aDirectoryAsDestinationKeepsTheNameAndAnExistingFileIsReplaced() throws Exception {
        Path src = Files.writeString(local.resolve("we*ird 'name'"), "new");
        Files.writeString(remote.resolve("we*ird 'name'"), "old content that is longer");
        Transfer up = sftp.put(target, src, remote.toString(), Sftp.Progress.NONE);
        assertThat(up.to()).isEqualTo(remote.resolve("we*ird 'name'").toString());
        assertThat(Files.readString(remote.resolve("we*ird 'name'"))).isEqualTo("new");

        Path into = Files.createDirectory(local.resolve("into"));
        Transfer down = sftp.get(target, remote.resolve("we*ird 'name'").toString(), into, Sftp.Progress.NONE);
        assertThat(down.to()).isEqualTo(into.resolve("we*ird 'name'").toString());
        assertThat(Files.readString(into.resolve("we*ird 'name'"))).isEqualTo("new");
    }

    @Test
    void anInterruptedGetLeavesNoFileUnderTheRealNameNorATemporaryOne() throws Exception {
        Files.write(remote.resolve("big.bin"), random(32 * 1024 * 1024, 2));
        Files.writeString(local.resolve("big.bin"), "the previous complete copy");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                sftp.get(target, remote.resolve("big.bin").toString(), local, (soFar, all) -> {
                    if (soFar > 1024 * 1024) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join(60_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(Files.readString(local.resolve("big.bin"))).isEqualTo("the previous complete copy");
        assertThat(onlyFiles(local)).containsExactly("big.bin");
    }

    @Test
    void anInterruptedPutLeavesNoFileUnderTheRealNameNorATemporaryOne() throws Exception {
        Path src = Files.write(local.resolve("big.bin"), random(32 * 1024 * 1024, 3));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                sftp.put(target, src, remote.resolve("big.bin").toString(), (soFar, all) -> {
                    if (soFar > 1024 * 1024) {
                        Thread.currentThread().interrupt();
                    }
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.join(60_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(onlyFiles(remote)).isEmpty();
    }

    @Test
    void aReadConnectsAgainOnceWhenTheConnectionDropped() throws Exception {
        Files.writeString(remote.resolve("f"), "x");
        SshTarget own = target.withSudo(false).withPort(server.port()); // equal to target: same session
        try (SshConnections c = new SshConnections()) {
            Sftp s = new Sftp(c);
            assertThat(s.list(own, remote.toString())).hasSize(1);
            var first = c.session(own);
            for (long pid : server.connectionProcesses()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            long until = System.nanoTime() + 10_000_000_000L;
            while (first.isConnected() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(s.list(own, remote.toString())).hasSize(1);
            assertThat(c.session(own)).isNotSameAs(first);
        }
    }

    @Test
    void readFileGivesTheBytesOfASmallFile() throws Exception {
        byte[] data = random(10_000, 4);
        Path f = Files.write(remote.resolve("kube config"), data);
        assertThat(PortForward.readFile(connections, target, f.toString())).isEqualTo(data);
        assertThatThrownBy(() -> PortForward.readFile(connections, target, remote + "/absent"))
                .isInstanceOf(SshException.class).hasMessageContaining("no such file: " + remote + "/absent");
    }

    private static List<String> onlyFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
