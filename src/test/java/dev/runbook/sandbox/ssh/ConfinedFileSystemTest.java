package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link-by-link walk that keeps a host's SFTP inside its folder, without a server. */
class ConfinedFileSystemTest {
    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void folders() throws Exception {
        root = Files.createDirectories(dir.resolve("host")).toRealPath();
        Files.createDirectories(root.resolve("data/2024"));
    }

    private void check(String relative) {
        ConfinedFileSystem.requireInside(root, root.resolve(relative), "/" + relative);
    }

    @Test
    void plainAndNotYetExistingPathsAreInside() {
        assertThatCode(() -> check("data/2024")).doesNotThrowAnyException();
        assertThatCode(() -> check("data/new/deeper/file.txt")).doesNotThrowAnyException();
        assertThatCode(() -> check("data/2024/../2024/./x")).doesNotThrowAnyException();
    }

    @Test
    void dotDotPastTheRootIsOutside() {
        assertThatThrownBy(() -> check("data/../../x")).isInstanceOf(InvalidPathException.class)
                .hasMessage("sandbox: /data/../../x leads outside the simulated host's folder");
    }

    @Test
    void linksAreFollowedAsTheKernelWould() throws Exception {
        Files.createSymbolicLink(root.resolve("latest"), Path.of("data/2024"));
        // ".." after a link climbs from the link's target, not from where the link sits.
        Files.createSymbolicLink(root.resolve("data/2024/up"), Path.of("../../.."));
        Files.createSymbolicLink(root.resolve("inside-absolute"), root.resolve("data"));

        assertThatCode(() -> check("latest/file")).doesNotThrowAnyException();
        assertThatCode(() -> check("latest/..")).doesNotThrowAnyException();
        assertThatCode(() -> check("inside-absolute/2024")).doesNotThrowAnyException();
        assertThatThrownBy(() -> check("latest/up/x")).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> check("latest/../../..")).isInstanceOf(InvalidPathException.class);
    }

    @Test
    void linksLeavingTheFolderAreOutsideEvenWhenDangling() throws Exception {
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc"));
        Files.createSymbolicLink(root.resolve("dangling"), dir.resolve("not-there-yet"));

        assertThatThrownBy(() -> check("etc/passwd")).isInstanceOf(InvalidPathException.class);
        assertThatThrownBy(() -> check("dangling")).isInstanceOf(InvalidPathException.class);
    }

    @Test
    void aLinkLoopIsRefusedNotFollowedForever() throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));

        assertThatThrownBy(() -> check("a/x")).isInstanceOf(InvalidPathException.class)
                .hasMessage("sandbox: /a/x has too many levels of symbolic links");
    }
}
