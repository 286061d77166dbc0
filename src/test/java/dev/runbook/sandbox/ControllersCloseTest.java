package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.testing.LiveProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the controllers stops everything they started, also what is no longer their
 * descendant: by close(), and by their watchdog when the run's process is killed.
 */
@EnabledOnOs(OS.LINUX)
class ControllersCloseTest {
    @TempDir
    Path dir;

    /** The orphaned sleep's duration: unique, so that its command line marks it. */
    private String seconds;
    private Path controllers;
    private Path script;

    @BeforeEach
    void orphaner() throws Exception {
        seconds = "7" + (100 + new Random().nextInt(800)) + ".25";
        controllers = Files.createDirectories(dir.resolve("sb/controllers"));
        // The subshell ends at once, so its sleep is handed to init: no longer a descendant of the
        // controller, but still in its process group.
        script = Files.writeString(controllers.resolve("orphaner"), "#!/bin/sh\n(sleep " + seconds + " &)\n"
                + "touch " + dir.resolve("started") + "\nwhile :; do sleep 0.1; done\n");
        script.toFile().setExecutable(true);
    }

    @AfterEach
    void killLeftovers() throws Exception {
        LiveProcesses.kill(seconds);
        LiveProcesses.kill(script.toString());
    }

    private Controllers start(long owner) throws Exception {
        Controllers c = Controllers.start(controllers, Map.of("PATH", System.getenv("PATH")), dir.resolve("log"), owner);
        assertThat(SandboxFixture.waitFor(dir.resolve("started"), 20)).as("the controller started").isTrue();
        awaitLeft(false);
        assertThat(LiveProcesses.withMarker(seconds)).as("the orphaned sleep runs").isNotEmpty();
        return c;
    }

    /** Waits (10 s at most) until something of the controller runs, or until nothing does. */
    private void awaitLeft(boolean nothing) throws Exception {
        long until = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < until && (nothing
                ? !LiveProcesses.withMarker(seconds).isEmpty() || !LiveProcesses.withMarker(script.toString()).isEmpty()
                : LiveProcesses.withMarker(seconds).isEmpty())) {
            Thread.sleep(20);
        }
    }

    private void assertNothingLeft() throws Exception {
        assertThat(LiveProcesses.withMarker(seconds)).as("nothing the controller started is left").isEmpty();
        assertThat(LiveProcesses.withMarker(script.toString())).as("the controller is gone").isEmpty();
    }

    @Test
    void aProcessTheControllerLeftBehindStopsWithIt() throws Exception {
        start(ProcessHandle.current().pid()).close();
        assertNothingLeft();
    }

    @Test
    void whenTheRunIsKilledTheWholeGroupEndsByItself() throws Exception {
        // Stands for the run's JVM: when it is gone (as after kill -9), nobody calls close().
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            start(owner.pid());
            owner.destroyForcibly();
            owner.waitFor();
            awaitLeft(true);
            assertNothingLeft();
        } finally {
            owner.destroyForcibly();
        }
    }
}
