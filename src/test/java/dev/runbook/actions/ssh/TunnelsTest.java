package dev.runbook.actions.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.StepState;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.sandbox.kube.SandboxApiServer;
import dev.runbook.testing.OpenSshServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kubernetes target via an ssh target: the kubeconfig is read on the host (a real sshd on
 * 127.0.0.1) and the API server it names (a sandbox API server) is reached through the tunnel.
 */
@Timeout(60)
class TunnelsTest {
    @TempDir
    Path dir;

    /** Each step asks for the tunnel of target k8s and asks the API server for its version through it. */
    static final class Probe implements ActionHandler {
        @Override
        public Invocation prepare(Step step, ActionContext ctx) {
            return new Invocation() {
                @Override
                public Object describe() {
                    return Map.of("probe", step.id());
                }

                @Override
                public Object run(ActionContext c) throws ActionException, InterruptedException {
                    Tunnels.Through t = Tunnels.kubeconfigVia(c, (Target.Kubernetes) c.run().runbook().targets().get("k8s"));
                    try (HttpClient http = HttpClient.newHttpClient()) {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(t.serverUrl() + "/version")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        return Map.of("json", Map.of("url", t.serverUrl(), "status", (long) r.statusCode(), "body", r.body(),
                                "kubeconfig", t.kubeconfigYaml()));
                    } catch (java.io.IOException e) {
                        throw new ActionException("probe failed: " + e.getMessage());
                    }
                }
            };
        }
    }

    @Test
    void theApiServerNamedInTheHostsKubeconfigIsReachedThroughTheHost() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start();
             SandboxApiServer api = SandboxApiServer.start(Files.createDirectory(dir.resolve("world")), SandboxApiServer.Options.defaults())) {
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), sshd.knownHostsName() + " " + sshd.hostKey("ed25519"));
            Path kubeconfig = dir.resolve("host kube config");
            api.writeKubeconfig(kubeconfig, "apic");
            String rb = """
                    apiVersion: runbook/v1
                    name: via
                    targets:
                      box: {ssh: {host: "%s", port: %d, user: "%s", identityFile: "%s", knownHosts: "%s"}}
                      k8s: {kubernetes: {kubeconfig: "%s", via: box}}
                    steps:
                      - id: first
                        shell: {command: [probe]}
                        capture: {url: "${{ result.json.url }}", status: "${{ result.json.status }}", body: "${{ result.json.body }}",
                                  kubeconfig: "${{ result.json.kubeconfig }}"}
                      - id: second
                        shell: {command: [probe]}
                        capture: {url: "${{ result.json.url }}"}
                    """.formatted(sshd.host(), sshd.port(), sshd.user(), sshd.userKey("ed25519"), known, kubeconfig);
            StepRun r = StepRun.run(dir.resolve(".runbook"), rb, List.of(), false, null, step -> new Probe());
            assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
            Map<String, Object> first = r.step("first").outputs();
            assertThat((String) first.get("url")).startsWith("http://127.0.0.1:").isNotEqualTo(api.url());
            assertThat(first).containsEntry("status", 200L);
            assertThat((String) first.get("body")).contains("v1.32.0-sandbox");
            assertThat(first).containsEntry("kubeconfig", Files.readString(kubeconfig));
            assertThat(r.step("second").outputs()).containsEntry("url", first.get("url"));
        }
    }

    @Test
    void aMissingKubeconfigOnTheHostIsAClearFailure() throws Exception {
        try (OpenSshServer sshd = OpenSshServer.start()) {
            Path known = sshd.knownHosts(dir.resolve("known_hosts"), sshd.knownHostsName() + " " + sshd.hostKey("ed25519"));
            String rb = """
                    apiVersion: runbook/v1
                    name: via
                    targets:
                      box: {ssh: {host: "%s", port: %d, user: "%s", identityFile: "%s", knownHosts: "%s"}}
                      k8s: {kubernetes: {kubeconfig: "%s/nothing-here", via: box}}
                    steps:
                      - id: first
                        shell: {command: [probe]}
                    """.formatted(sshd.host(), sshd.port(), sshd.user(), sshd.userKey("ed25519"), known, dir);
            StepRun r = StepRun.run(dir.resolve(".runbook"), rb, List.of(), false, null, step -> new Probe());
            assertThat(r.step("first").state()).isEqualTo(StepState.FAILED);
            assertThat(r.step("first").error()).contains("cannot read " + dir + "/nothing-here").contains("no such file");
        }
    }

    @Test
    void theServerIsTheCurrentContextsOrTheNamedOnes() throws Exception {
        String yaml = """
                clusters:
                - {name: a, cluster: {server: "https://10.0.0.1:6443"}}
                - {name: b, cluster: {server: "https://api.b:443"}}
                contexts:
                - {name: ca, context: {cluster: a}}
                - {name: cb, context: {cluster: b}}
                current-context: ca
                """;
        assertThat(Tunnels.server(yaml, null, "cfg")).isEqualTo("https://10.0.0.1:6443");
        assertThat(Tunnels.server(yaml, "cb", "cfg")).isEqualTo("https://api.b:443");
        assertThatThrownBy(() -> Tunnels.server(yaml, "cc", "cfg")).hasMessage("cfg has no context 'cc'");
        assertThatThrownBy(() -> Tunnels.server("contexts: []\n", null, "cfg")).hasMessageContaining("has no current-context");
    }
}
