package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * kubectl's generators ({@code kubectl create configmap ...}) send protobuf bodies whatever the
 * server says; the sandbox reads the kinds they make, and refuses the others in a sentence.
 */
@Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
class KubectlGeneratorsTest {
    private static String binary;

    @TempDir
    Path dir;
    private SandboxApiServer server;
    private RealKubectl kubectl;

    @BeforeAll
    static void findKubectl() {
        binary = RealKubectl.findOrSkip();
    }

    @BeforeEach
    void start() {
        Worlds.copyFixture(dir);
        server = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults().withNamespace("apiconnect"));
        kubectl = RealKubectl.against(binary, server, dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createConfigMapAndSecretFromLiteralsStoresTheirData() {
        assertThat(kubectl.ok("create", "configmap", "settings", "--from-literal=mode=restore", "--from-literal=level=3")
                .out()).contains("configmap/settings created");
        JsonNode cm = Json.parse(kubectl.ok("get", "configmap", "settings", "-o", "json").out());
        assertThat(cm.path("data").path("mode").asString()).isEqualTo("restore");
        assertThat(cm.path("data").path("level").asString()).isEqualTo("3");
        assertThat(cm.path("metadata").path("namespace").asString()).isEqualTo("apiconnect");

        kubectl.ok("create", "secret", "generic", "backup-auth", "--from-literal=password=s3cr3t");
        JsonNode secret = Json.parse(kubectl.ok("get", "secret", "backup-auth", "-o", "json").out());
        assertThat(secret.path("data").path("password").asString()).isEqualTo("czNjcjN0");
        assertThat(secret.path("type").asString()).as("defaulted as a real API server does").isEqualTo("Opaque");
        kubectl.ok("create", "secret", "generic", "tls-pair", "--from-literal=tls.crt=a", "--from-literal=tls.key=b",
                "--type=kubernetes.io/tls");
        assertThat(kubectl.ok("get", "secret", "tls-pair", "-o", "jsonpath={.type}").out()).isEqualTo("kubernetes.io/tls");
    }

    @Test
    void createNamespaceAndServiceAccountAndDryRunsStoreNothing() {
        kubectl.ok("create", "namespace", "restore-tmp");
        kubectl.ok("create", "serviceaccount", "restorer", "-n", "restore-tmp");
        assertThat(kubectl.ok("get", "sa", "restorer", "-n", "restore-tmp", "-o", "name").out().strip())
                .isEqualTo("serviceaccount/restorer");
        assertThat(kubectl.ok("create", "configmap", "probe", "--from-literal=a=b", "--dry-run=server", "-o", "json")
                .out()).contains("\"a\": \"b\"");
        RealKubectl.Result missing = kubectl.run("get", "configmap", "probe");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("NotFound");
    }

    @Test
    void aGeneratorOfAKindTheSandboxCannotReadFailsWithASentence() {
        RealKubectl.Result r = kubectl.run("create", "deployment", "portal", "--image=portal:9");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("the sandbox API server reads protobuf bodies only for ConfigMap, Secret, Namespace"
                + " and ServiceAccount, not Deployment (apps/v1)").contains("kubectl apply -f");
        assertThat(kubectl.run("get", "deployment", "portal").exit()).isNotZero();
    }
}
