package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeClientsTest {
    @TempDir
    Path home;

    private Path write(String name, String text) throws Exception {
        Path p = home.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static String kubeconfig(String current, String context, String server, String namespace) {
        return """
                apiVersion: v1
                kind: Config
                %s
                clusters:
                - name: %s
                  cluster: {server: "%s"}
                contexts:
                - name: %s
                  context: {cluster: %s, user: u, namespace: %s}
                users:
                - name: u
                  user: {token: t}
                """.formatted(current == null ? "" : "current-context: " + current, context, server, context, context, namespace);
    }

    @Test
    void kubeconfigListMergesWithTheFirstFileWinning() throws Exception {
        Path a = write("a.yaml", kubeconfig("east", "east", "https://east.example:6443", "apiconnect"));
        Path b = write("b.yaml", kubeconfig("west", "west", "https://west.example:6443", "other"));

        try (KubeConnection c = KubeClients.open(KubeTarget.current(), Map.of("KUBECONFIG", a + ":" + b), home)) {
            assertThat(c.context()).isEqualTo("east");
            assertThat(c.server()).isEqualTo("https://east.example:6443");
            assertThat(c.namespace()).isEqualTo("apiconnect");
        }
        try (KubeConnection c = KubeClients.open(new KubeTarget(null, "west", "mine"), Map.of("KUBECONFIG", a + ":" + b), home)) {
            assertThat(c.server()).isEqualTo("https://west.example:6443");
            assertThat(c.namespace()).isEqualTo("mine");
        }
    }

    @Test
    void defaultsToHomeKubeConfigAndNamespaceDefault() throws Exception {
        write(".kube/config", kubeconfig("dev", "dev", "http://127.0.0.1:1", "").replace("namespace: }", "}"));

        try (KubeConnection c = KubeClients.open(KubeTarget.current(), Map.of(), home)) {
            assertThat(c.context()).isEqualTo("dev");
            assertThat(c.namespace()).isEqualTo("default");
        }
    }

    @Test
    void aMissingContextIsAnErrorNeverAnotherCluster() throws Exception {
        Path a = write("a.yaml", kubeconfig("east", "east", "https://east.example:6443", "x"));

        assertThatThrownBy(() -> KubeClients.open(new KubeTarget(a.toString(), "prod-east", null), Map.of(), home))
                .isInstanceOf(KubeException.class)
                .hasMessage("context 'prod-east' not found in [" + a + "] (contexts: east)");
    }

    @Test
    void noKubeconfigAtAllIsExplained() {
        assertThatThrownBy(() -> KubeClients.open(KubeTarget.current(), Map.of(), home))
                .hasMessageStartingWith("no kubeconfig: ~/.kube/config does not exist and KUBECONFIG is not set");
        assertThatThrownBy(() -> KubeClients.open(new KubeTarget("/nonexistent/kc", null, null), Map.of(), home))
                .hasMessage("kubeconfig /nonexistent/kc does not exist");
    }

    @Test
    void serverUrlCanBeRewrittenForATunnel() {
        try (KubeConnection c = KubeClients.open(kubeconfig("east", "east", "https://10.0.0.5:6443", "apiconnect"), null, null,
                "http://127.0.0.1:40000")) {
            assertThat(c.server()).isEqualTo("http://127.0.0.1:40000");
            assertThat(c.namespace()).isEqualTo("apiconnect");
        }
    }

    @Test
    void aPlainHttpServerIsReachedWithoutTrustingEveryCertificate() {
        try (MockCluster cluster = new MockCluster(); KubeConnection c = cluster.connect(null)) {
            assertThat(new KubeVerbs(c).get("pods", null, null, null, null)).containsKey("items");
            // The client for exec shares the configuration: a plain-http connection must not
            // have left it trusting any certificate it is shown.
            assertThat(c.fabric8().getConfiguration().isTrustCerts()).isFalse();
        }
    }
}
