package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One running host per folder of {@code hosts/}, found by name. */
class SandboxSshHostsTest {
    @TempDir
    Path dir;

    @Test
    void eachHostFolderBecomesARunningHostServingThatFolder() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.createDirectories(hosts.resolve("backups.example.com"));
        Files.createDirectories(hosts.resolve("db1.example.com"));
        Files.writeString(hosts.resolve("db1.example.com/motd"), "db1");
        Files.writeString(hosts.resolve("not-a-host.txt"), "ignored");

        try (SandboxSshHosts running = SandboxSshHosts.startAll(hosts,
                request -> Optional.of(CommandAnswer.of(request.host() + "\n", "", 0)))) {
            assertThat(running.all()).containsOnlyKeys("backups.example.com", "db1.example.com");
            SandboxSshHost db1 = running.host("db1.example.com");
            SandboxSshHost backups = running.host("backups.example.com");
            assertThat(db1.port()).isNotEqualTo(backups.port());
            assertThat(db1.hostKey()).isNotEqualTo(backups.hostKey());
            assertThat(running.host("DB1.Example.COM")).isSameAs(db1);

            try (JschClient client = JschClient.to(db1)) {
                assertThat(client.exec("hostname").stdout()).isEqualTo("db1.example.com\n");
                assertThat(JschClient.readAll(client.sftp().get("/motd"))).asString().isEqualTo("db1");
            }
        }
    }

    @Test
    void aHostWithoutAFolderNamesTheFolderToCreate() throws Exception {
        Path hosts = Files.createDirectories(dir.resolve("hosts"));
        try (SandboxSshHosts running = SandboxSshHosts.startAll(hosts, CommandAnswers.none())) {
            assertThatThrownBy(() -> running.host("backups.example.com"))
                    .isInstanceOf(SandboxSshException.class)
                    .hasMessage("sandbox: no simulated host 'backups.example.com': create the folder "
                            + hosts.resolve("backups.example.com") + "/");
            assertThat(running.find("backups.example.com")).isEmpty();
        }
    }

    @Test
    void aSandboxWithoutAHostsFolderHasNoHosts() throws Exception {
        try (SandboxSshHosts running = SandboxSshHosts.startAll(dir.resolve("hosts"), CommandAnswers.none())) {
            assertThat(running.all()).isEmpty();
            assertThatThrownBy(() -> running.host("web")).hasMessageContaining("create the folder");
        }
    }

    @Test
    void aHostFolderThatIsNotADirectoryIsAClearError() throws Exception {
        Path file = Files.writeString(dir.resolve("web"), "a file");

        assertThatThrownBy(() -> SandboxSshHost.start("web", file, CommandAnswers.none()))
                .isInstanceOf(SandboxSshException.class)
                .hasMessage("sandbox: the folder of simulated host web, " + file + ", is not a directory");
    }

    @Test
    void twoHostsStartQuicklyOnceTheJvmIsWarm() throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.createDirectories(hosts.resolve("a.example.com"));
        Files.createDirectories(hosts.resolve("b.example.com"));
        for (int i = 0; i < 3; i++) { // warm up: classes loaded, key generation and NIO set up once
            SandboxSshHosts.startAll(hosts, CommandAnswers.none()).close();
        }

        long start = System.nanoTime();
        SandboxSshHosts running = SandboxSshHosts.startAll(hosts, CommandAnswers.none());
        long millis = (System.nanoTime() - start) / 1_000_000;
        running.close();

        System.out.println("sandbox: 2 SSH hosts started in " + millis + " ms (warm JVM)");
        // Generous: a busy CI machine; on an idle one this is tens of milliseconds.
        assertThat(millis).isLessThan(3_000);
    }
}
