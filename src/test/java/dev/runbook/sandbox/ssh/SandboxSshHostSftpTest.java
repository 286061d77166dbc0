package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.Vector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SFTP on a simulated host over JSch: its folder is the whole file system, and nothing else is. */
class SandboxSshHostSftpTest {
    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private SandboxSshHost host;
    private JschClient client;
    private ChannelSftp sftp;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("hosts").resolve("backups.example.com"));
        outside = Files.writeString(dir.resolve("outside.txt"), "not for the host's eyes");
        host = SandboxSshHost.start("backups.example.com", root, CommandAnswers.none());
        client = JschClient.to(host);
        sftp = client.sftp();
    }

    @AfterEach
    void stop() {
        sftp.disconnect();
        client.close();
        host.close();
    }

    @Test
    void aFilePutThenGotComesBackByteForByte() throws Exception {
        byte[] content = new byte[300_000];
        new Random(42).nextBytes(content);
        sftp.mkdir("/backups");

        sftp.put(new ByteArrayInputStream(content), "/backups/mgmt-1-3.tar.gz");

        assertThat(root.resolve("backups/mgmt-1-3.tar.gz")).hasBinaryContent(content);
        assertThat(JschClient.readAll(sftp.get("/backups/mgmt-1-3.tar.gz"))).isEqualTo(content);
    }

    @Test
    void theHostsFolderIsSeenAsTheRoot() throws Exception {
        Files.createDirectories(root.resolve("backups"));
        Files.writeString(root.resolve("backups/a.tar.gz"), "a");

        assertThat(sftp.realpath(".")).isEqualTo("/");
        assertThat(names(sftp.ls("/"))).containsExactly("backups");
        assertThat(names(sftp.ls("/backups"))).containsExactly("a.tar.gz");
    }

    @Test
    void statReportsSizeModificationTimeAndMode() throws Exception {
        Path file = Files.writeString(root.resolve("backup.tar.gz"), "twelve bytes");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        SftpATTRS attrs = sftp.stat("/backup.tar.gz");

        assertThat(attrs.getSize()).isEqualTo(12);
        assertThat(attrs.getMTime()).isEqualTo(1_700_000_000);
        assertThat(attrs.getPermissions() & 0777).isEqualTo(0640);
        assertThat(attrs.isDir()).isFalse();
        assertThat(sftp.stat("/").isDir()).isTrue();
    }

    @Test
    void renameRemoveAndDirectoriesWork() throws Exception {
        sftp.mkdir("/incoming");
        sftp.put(new ByteArrayInputStream("data".getBytes(StandardCharsets.UTF_8)), "/incoming/part.tmp");

        sftp.rename("/incoming/part.tmp", "/incoming/final.tar.gz");
        assertThat(root.resolve("incoming/part.tmp")).doesNotExist();
        assertThat(root.resolve("incoming/final.tar.gz")).hasContent("data");

        // A transfer that replaces a file writes a temporary name, then renames it over the old one.
        sftp.put(new ByteArrayInputStream("newer".getBytes(StandardCharsets.UTF_8)), "/incoming/part.tmp");
        sftp.rename("/incoming/part.tmp", "/incoming/final.tar.gz");
        assertThat(root.resolve("incoming/final.tar.gz")).hasContent("newer");

        sftp.rm("/incoming/final.tar.gz");
        sftp.rmdir("/incoming");
        assertThat(root.resolve("incoming")).doesNotExist();
    }

    @Test
    void dotDotCannotClimbAboveTheRoot() throws Exception {
        assertThatThrownBy(() -> sftp.get("/../outside.txt")).isInstanceOf(SftpException.class);
        assertThatThrownBy(() -> sftp.get("../../outside.txt")).isInstanceOf(SftpException.class);
        assertThat(names(sftp.ls("/.."))).doesNotContain("outside.txt", "hosts");

        sftp.put(new ByteArrayInputStream("planted".getBytes(StandardCharsets.UTF_8)), "/../../planted.txt");
        assertThat(dir.resolve("planted.txt")).doesNotExist();
        assertThat(dir.getParent().resolve("planted.txt")).doesNotExist();
        assertThat(root.resolve("planted.txt")).hasContent("planted");
    }

    @Test
    void aSymbolicLinkLeadingOutsideIsRefused() throws Exception {
        Files.createSymbolicLink(root.resolve("escape"), dir);
        Files.createSymbolicLink(root.resolve("relative-escape"), Path.of("../.."));
        Files.createSymbolicLink(root.resolve("secret"), outside);

        assertThatThrownBy(() -> sftp.get("/escape/outside.txt")).isInstanceOf(SftpException.class)
                .hasMessageContaining("sandbox: /escape/outside.txt leads outside the simulated host's folder");
        assertThatThrownBy(() -> sftp.get("/relative-escape/outside.txt")).isInstanceOf(SftpException.class);
        assertThatThrownBy(() -> sftp.get("/secret")).isInstanceOf(SftpException.class);
        assertThatThrownBy(() -> sftp.ls("/escape")).isInstanceOf(SftpException.class);
        assertThatThrownBy(() -> sftp.put(new ByteArrayInputStream(new byte[] {1}), "/escape/planted.txt"))
                .isInstanceOf(SftpException.class);
        assertThat(dir.resolve("planted.txt")).doesNotExist();
        assertThat(outside).hasContent("not for the host's eyes");
    }

    @Test
    void aSymbolicLinkThatStaysInsideWorks() throws Exception {
        Files.createDirectories(root.resolve("data/2024"));
        Files.writeString(root.resolve("data/2024/a.txt"), "inside");
        Files.createSymbolicLink(root.resolve("latest"), Path.of("data/2024"));
        Files.createSymbolicLink(root.resolve("data/up"), Path.of("../data/2024/a.txt"));
        Files.createSymbolicLink(root.resolve("absolute"), root.resolve("data"));

        assertThat(JschClient.readAll(sftp.get("/latest/a.txt"))).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(JschClient.readAll(sftp.get("/data/up"))).asString(StandardCharsets.UTF_8).isEqualTo("inside");
        assertThat(JschClient.readAll(sftp.get("/absolute/2024/a.txt"))).asString(StandardCharsets.UTF_8)
                .isEqualTo("inside");
    }

    /** The names in a listing, without {@code .} and {@code ..}. */
    private static List<String> names(Vector<?> entries) {
        return entries.stream()
                .map(e -> ((ChannelSftp.LsEntry) e).getFilename())
                .filter(name -> !name.equals(".") && !name.equals(".."))
                .toList();
    }
}
