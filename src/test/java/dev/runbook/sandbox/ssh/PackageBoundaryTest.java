package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * MINA SSHD is thousands of classes that only a sandbox run needs: only this package may name
 * them, so that a run without {@code --sandbox} never loads them.
 */
class PackageBoundaryTest {
    private static final Path MAIN_SOURCES = Path.of("src/main/java");
    private static final Path THIS_PACKAGE = MAIN_SOURCES.resolve("dev/runbook/sandbox/ssh");

    @Test
    void onlyTheSandboxSshPackageNamesMinaSshd() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN_SOURCES)) {
            List<Path> offenders = files
                    .filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(THIS_PACKAGE))
                    .filter(PackageBoundaryTest::namesMina)
                    .toList();

            assertThat(offenders).as("sources outside dev.runbook.sandbox.ssh that name org.apache.sshd").isEmpty();
        }
    }

    @Test
    void theScanSeesThisPackagesOwnUseOfMina() {
        assertThat(namesMina(THIS_PACKAGE.resolve("SandboxSshHost.java"))).isTrue();
    }

    private static boolean namesMina(Path source) {
        try {
            return Files.readString(source).contains("org.apache.sshd");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
