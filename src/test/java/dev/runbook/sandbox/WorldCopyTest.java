package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorldCopyTest {
    @TempDir
    Path dir;

    @Test
    void linksAreCopiedAsTheirTargetsSoTheRunCannotChangeWhatTheyPointAt() throws Exception {
        Path source = Files.createDirectories(dir.resolve("sb/bin"));
        Path outside = Files.writeString(dir.resolve("tool.sh"), "#!/bin/sh\necho tool\n");
        outside.toFile().setExecutable(true);
        Files.createSymbolicLink(source.resolve("tool"), outside);
        Files.writeString(source.resolve("plain"), "x");
        Files.createDirectories(dir.resolve("sb/.state"));
        Files.writeString(dir.resolve("sb/.state/cluster.json"), "{}");

        Path copy = dir.resolve("run/world");
        Files.createDirectories(copy.getParent());
        WorldCopy.copy(dir.resolve("sb"), copy);

        Path tool = copy.resolve("bin/tool");
        assertThat(Files.isSymbolicLink(tool)).isFalse();
        assertThat(Files.readString(tool)).isEqualTo("#!/bin/sh\necho tool\n");
        assertThat(Files.isExecutable(tool)).isTrue();
        assertThat(Files.isExecutable(copy.resolve("bin/plain"))).isFalse();
        assertThat(copy.resolve(".state")).as("a saved state in DIR is not the run's").doesNotExist();
        assertThat(dir.resolve("run/world.partial")).doesNotExist();
    }

    @Test
    void aStateDirectoryInsideTheSandboxIsNotCopiedIntoItsOwnRun() throws Exception {
        // runbook run x.yaml --sandbox . puts the default state directory ./.runbook inside DIR.
        Path sandbox = Files.createDirectories(dir.resolve("sb/cluster"));
        Files.writeString(sandbox.resolve("cm.yaml"), "kind: ConfigMap\n");
        Path earlier = Files.createDirectories(dir.resolve("sb/.runbook/runs/earlier/world"));
        Files.writeString(earlier.resolve("old.txt"), "old");
        Path runDir = Files.createDirectories(dir.resolve("sb/.runbook/runs/now"));

        WorldCopy.copy(dir.resolve("sb"), runDir.resolve("world"));

        assertThat(runDir.resolve("world/cluster/cm.yaml")).hasContent("kind: ConfigMap\n");
        assertThat(runDir.resolve("world/.runbook")).as("runs are not part of the world").doesNotExist();
    }
}
