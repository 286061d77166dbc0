package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.sandbox.kube.KubeWrite;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A Sandbox started directly: what handlers see through SimulatedWorld, and what close stops. */
@Timeout(60)
class SandboxTest {
    @TempDir
    Path dir;

    @Test
    void handlersFindHostsKubeconfigAndTheProcessEnvironment() throws Exception {
        Path source = Files.createDirectories(dir.resolve("sb"));
        Files.createDirectories(source.resolve("hosts/backups.example.com/backups"));
        Files.createDirectories(source.resolve("bin"));
        Files.writeString(source.resolve("sandbox.yaml"), "namespace: apiconnect\n");
        Path controllers = Files.createDirectories(source.resolve("controllers"));
        Path pidFile = dir.resolve("controller.pid");
        Path controller = Files.writeString(controllers.resolve("idle"), "#!/bin/sh\necho $$ > " + pidFile
                + "\nwhile :; do sleep 0.2; done\n");
        controller.toFile().setExecutable(true);
        List<KubeWrite> writes = new CopyOnWriteArrayList<>();

        long controllerPid;
        Path work = dir.resolve("run");
        try (Sandbox sandbox = Sandbox.start(source, work, writes::add)) {
            SimulatedWorld world = sandbox;
            assertThat(world.root()).isEqualTo(work.toAbsolutePath().resolve("world"));
            assertThat(world.namespace()).isEqualTo("apiconnect");
            assertThat(Files.readString(world.kubeconfig())).contains("namespace: apiconnect").contains("127.0.0.1");
            SimulatedWorld.SshEndpoint host = world.sshHost("backups.example.com");
            assertThat(host.port()).isPositive();
            assertThat(host.knownHostsLine()).startsWith("[127.0.0.1]:" + host.port() + " ");
            assertThatThrownBy(() -> world.sshHost("db.example.com")).isInstanceOf(ActionException.class)
                    .hasMessageContaining("create the folder " + source.toAbsolutePath().resolve("hosts/db.example.com") + "/");
            assertThat(world.processEnvironment().get("PATH"))
                    .startsWith(world.root().resolve("bin") + File.pathSeparator);
            assertThat(world.processEnvironment()).containsEntry("KUBECONFIG", world.kubeconfig().toString())
                    .containsEntry("RUNBOOK_SANDBOX", world.root().toString());
            assertThat(SandboxFixture.waitFor(pidFile, 20)).as("the controller started").isTrue();
            controllerPid = Long.parseLong(Files.readString(pidFile).strip());
            assertThat(ProcessHandle.of(controllerPid)).isPresent();
        }
        // Stopped: gone, or a zombie that init has not reaped yet (the JDK calls that alive).
        assertThat(ProcessHandle.of(controllerPid).filter(h -> !dev.runbook.proc.ProcessTree.ended(h)))
                .as("the controller is stopped with the sandbox").isEmpty();
        assertThat(source.resolve(".state")).as("DIR is not changed").doesNotExist();
        assertThat(writes).isEmpty();
    }
}
