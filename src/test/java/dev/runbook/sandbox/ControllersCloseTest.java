package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.LiveProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Closing the controllers stops everything they started, also what is no longer their descendant. */
@EnabledOnOs(OS.LINUX)
class ControllersCloseTest {
    @TempDir
    Path dir;

    @Test
    void aProcessTheControllerLeftBehindStopsWithIt() throws Exception {
        String seconds = "7" + (100 + new Random().nextInt(800)) + ".25";
        Path controllers = Files.createDirectories(dir.resolve("sb/controllers"));
        Path started = dir.resolve("started");
        // The subshell ends at once, so its sleep is handed to init: no longer a descendant of the
        // controller, but still in its process group.
        Path script = Files.writeString(controllers.resolve("orphaner"), "#!/bin/sh\n(sleep " + seconds + " &)\n"
                + "touch " + started + "\nwhile :; do sleep 0.1; done\n");
        script.toFile().setExecutable(true);
        try {
            Controllers c = Controllers.start(controllers, Map.of("PATH", System.getenv("PATH")), dir.resolve("log"));
            assertThat(SandboxFixture.waitFor(started, 20)).as("the controller started").isTrue();
            long until = System.nanoTime() + 10_000_000_000L;
            while (LiveProcesses.withMarker(seconds).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(LiveProcesses.withMarker(seconds)).as("the orphaned sleep runs").isNotEmpty();
            c.close();
            assertThat(LiveProcesses.withMarker(seconds)).as("nothing the controller started is left").isEmpty();
            assertThat(LiveProcesses.withMarker(script.toString())).as("the controller is gone").isEmpty();
        } finally {
            LiveProcesses.kill(seconds);
        }
    }

    @Test
    void whenTheRunIsKilledTheWholeGroupEndsByItself() throws Exception {
        String seconds = "6" + (100 + new Random().nextInt(800)) + ".25";
        Path controllers = Files.createDirectories(dir.resolve("sb/controllers"));
        Path started = dir.resolve("started");
        Path script = Files.writeString(controllers.resolve("orphaner"), "#!/bin/sh\n(sleep " + seconds + " &)\n"
                + "touch " + started + "\nwhile :; do sleep 0.1; done\n");
        script.toFile().setExecutable(true);
        // Stands for the run's JVM: when it is gone (as after kill -9), nobody calls close().
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            Controllers.start(controllers, Map.of("PATH", System.getenv("PATH")), dir.resolve("log"), owner.pid());
            assertThat(SandboxFixture.waitFor(started, 20)).as("the controller started").isTrue();
            long until = System.nanoTime() + 10_000_000_000L;
            while (LiveProcesses.withMarker(seconds).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(LiveProcesses.withMarker(seconds)).as("the orphaned sleep runs").isNotEmpty();
            owner.destroyForcibly();
            owner.waitFor();
            until = System.nanoTime() + 10_000_000_000L;
            while ((!LiveProcesses.withMarker(seconds).isEmpty() || !LiveProcesses.withMarker(script.toString()).isEmpty())
                    && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(LiveProcesses.withMarker(seconds)).as("nothing the controller started is left").isEmpty();
            assertThat(LiveProcesses.withMarker(script.toString())).as("the controller is gone").isEmpty();
        } finally {
            owner.destroyForcibly();
            LiveProcesses.kill(seconds);
            LiveProcesses.kill(script.toString());
        }
    }
}
