package dev.runbook.actions.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Requirement;
import dev.runbook.engine.StepState;
import dev.runbook.sandbox.kube.SandboxApiServer;
import dev.runbook.testing.OpenSshServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl steps on a kubernetes target {@code via:} an ssh target, with the built-in handlers:
 * a dry run checks, before its first step, that the tunnel opens and the API server answers
 * through it, and lists every problem; a real run whose ssh host refuses fails its first
 * kubectl step with one line saying so.
 */
@Timeout(120)
class ViaTargetTest {
    @TempDir
    Path dir;

    private static String runbook(OpenSshServer sshd, int port, Path known, Path kubeconfig) {
        return """
                apiVersion: runbook/v1
                name: via
                targets:
                  box: {ssh: {host: "%s", port: %d, user: "%s", identityFile: "%s", knownHosts: "%s"}}
                  k8s: {kubernetes: {kubeconfig: "%s", via: box, namespace: apic}}
                steps:
                  - id: pods
                    kubectl: {on: k8s, get: pods}
                    capture: {count: "${{ size(result.items) }}"}
                  - id: host
                    shell: {on: box, command: [uname]}
                """.formatted(sshd.host(), port, sshd.user(), sshd.userKey("ed25519"), known, kubeconfig);
    }

    private static Requirement requirement(StepRun r, String what) {
        return r.preflight.stream().filter(q -> q.what().equals(what)).findFirst()
                .orElseThrow(() -> new AssertionError("no preflight check '" + what + "' in " + r.preflight));
    }

    @Test
    void aDryRunChecksThatTheClusterAnswersThroughTheTunnel() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start();
             SandboxApiServer api = SandboxApiServer.start(Files.createDirectory(dir.resolve("world")), SandboxApiServer.Options.defaults())) {
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), sshd.knownHostsName() + " " + sshd.hostKey("ed25519"));
            Path kubeconfig = dir.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig, "apic");
            StepRun r = StepRun.run(dir.resolve(".runbook"), runbook(sshd, sshd.port(), known, kubeconfig), List.of(), true, null);
            Requirement cluster = requirement(r, "kubernetes target k8s");
            assertThat(cluster.ok()).as(cluster.detail()).isTrue();
            // The server it names is the tunnel's end on this machine, not the address in the host's kubeconfig.
            assertThat(cluster.detail()).startsWith("http://127.0.0.1:").doesNotContain(api.url()).contains("answers");
            assertThat(requirement(r, "ssh target box").ok()).isTrue();
            assertThat(r.outcome.exitCode()).as(r.results + " " + r.preflight).isZero();
            assertThat(r.step("pods").state()).isEqualTo(StepState.SUCCEEDED);
        }
    }

    @Test
    void oneConnectionServesEveryStepOnTheHostAndTheTunnel() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start();
             SandboxApiServer api = SandboxApiServer.start(Files.createDirectory(dir.resolve("world")), SandboxApiServer.Options.defaults())) {
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), sshd.knownHostsName() + " " + sshd.hostKey("ed25519"));
            Path kubeconfig = dir.resolve("kubeconfig");
            api.writeKubeconfig(kubeconfig, "apic");
            String rb = runbook(sshd, sshd.port(), known, kubeconfig) + """
                      - id: again
                        kubectl: {on: k8s, get: pods}
                      - id: files
                        sftp: {on: box, list: "%s"}
                      - id: last
                        shell: {command: ["true"]}
                    """.formatted(dir);
            List<Integer> connections = new java.util.ArrayList<>();
            StepRun r = new StepRun();
            r.onStart = step -> {
                if (step.id().equals("last")) {
                    connections.add(sshd.connectionProcesses().size());
                }
            };
            r.go(dir.resolve(".runbook"), rb, List.of(), false, null, null);
            assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
            // sshd forks one process per connection: two kubectl steps, a command and an sftp list made one.
            assertThat(connections).containsExactly(1);
        }
    }

    @Test
    void aDryRunListsTheUnreachableClusterAndHostBeforeTheFirstStep() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start()) {
            int closed = closedPort();
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), "[127.0.0.1]:" + closed + " " + sshd.hostKey("ed25519"));
            StepRun r = new StepRun();
            r.onStart = step -> assertThat(r.preflight).as("checked before step " + step.id()).isNotEmpty();
            r.go(dir.resolve(".runbook"), runbook(sshd, closed, known, dir.resolve("kubeconfig")), List.of(), true, null, null);
            String refused = "connection refused by 127.0.0.1 port " + closed + ": no SSH server listens there";
            Requirement cluster = requirement(r, "kubernetes target k8s");
            assertThat(cluster.ok()).isFalse();
            assertThat(cluster.detail()).isEqualTo("through ssh target box: " + refused);
            Requirement host = requirement(r, "ssh target box");
            assertThat(host.ok()).isFalse();
            assertThat(host.detail()).isEqualTo(refused);
            assertThat(r.outcome.exitCode()).isNotZero();
        }
    }

    @Test
    void aRealRunsFirstKubectlStepSaysInOneLineThatTheHostRefused() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start()) {
            int closed = closedPort();
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), "[127.0.0.1]:" + closed + " " + sshd.hostKey("ed25519"));
            StepRun r = StepRun.run(dir.resolve(".runbook"), runbook(sshd, closed, known, dir.resolve("kubeconfig")), List.of(), false, null);
            assertThat(r.step("pods").state()).isEqualTo(StepState.FAILED);
            assertThat(r.step("pods").error())
                    .isEqualTo("through ssh target box: connection refused by 127.0.0.1 port " + closed + ": no SSH server listens there");
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
