package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The world outlives the server: saved at each write, served again by the next start. */
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class SandboxPersistenceTest {
    private static final String CC_PATH = "/apis/apic.ibm.com/v1beta1/namespaces/apiconnect/cassandraclusters";

    @TempDir
    Path dir;

    @Test
    void aNewStartServesTheWorldAsTheLastOneLeftIt() throws Exception {
        Worlds.copyFixture(dir);
        String oldUid;
        long oldVersion;
        try (SandboxApiServer first = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults()
                .withNamespace("apiconnect")); KubernetesClient client = Worlds.client(first, dir)) {
            Worlds.http(first, "PATCH", CC_PATH + "/apiconnect-cc/status", "application/merge-patch+json",
                    "{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");
            client.pods().withName("apiconnect-cc-2").delete();
            oldUid = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("made")
                    .endMetadata().build()).create().getMetadata().getUid();
            oldVersion = Long.parseLong(client.configMaps().withName("made").get().getMetadata().getResourceVersion());
            // Saved at the write, not at close: a kill -9 now would lose nothing.
            assertThat(Files.readString(dir.resolve(".state/cluster.json"))).contains("\"made\"", "completed")
                    .doesNotContain("apiconnect-cc-2");
        }
        // The seed files no longer matter once there is a saved world.
        Files.writeString(dir.resolve("cluster/20-pods.yaml"), "this: [is not valid");

        try (SandboxApiServer second = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults()
                .withNamespace("apiconnect")); KubernetesClient client = Worlds.client(second, dir)) {
            GenericKubernetesResource cc = client.genericKubernetesResources("apic.ibm.com/v1beta1",
                    "CassandraCluster").withName("apiconnect-cc").get();
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) cc.getAdditionalProperties().get("status");
            assertThat(status).containsEntry("ClusterRestoreStatus", "completed");
            assertThat(client.pods().withName("apiconnect-cc-2").get()).isNull();
            assertThat(client.configMaps().withName("made").get().getMetadata().getUid()).isEqualTo(oldUid);

            var next = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("later")
                    .endMetadata().build()).create();
            assertThat(Long.parseLong(next.getMetadata().getResourceVersion())).isGreaterThan(oldVersion);
            assertThat(next.getMetadata().getUid()).isNotEqualTo(oldUid);
            assertThat(second.recordedWrites()).extracting(KubeWrite::verb)
                    .containsExactly("patch", "delete", "create", "create");
        }
    }

    @Test
    void aKilledServerLosesNoAnsweredWrite() throws Exception {
        Worlds.copyFixture(dir);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, ServeWorld.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String url;
            try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                String line = out.readLine();
                assertThat(line).as("the child's first line").startsWith("URL ");
                url = line.substring(4);
                Worlds.Raw patched = Worlds.http(url, "PATCH", CC_PATH + "/apiconnect-cc/status",
                        "application/merge-patch+json", "{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");
                assertThat(patched.code()).isEqualTo(200);
                Worlds.Raw created = Worlds.http(url, "POST", "/api/v1/namespaces/apiconnect/configmaps",
                        "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                                + "\"metadata\":{\"name\":\"before-kill\"}}");
                assertThat(created.code()).isEqualTo(201);
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
                assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            child.destroyForcibly();
        }
        try (SandboxApiServer again = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults())) {
            assertThat(Json.parse(Worlds.http(again, "GET", CC_PATH + "/apiconnect-cc", null, null).body())
                    .at("/status/ClusterRestoreStatus").asString()).isEqualTo("completed");
            assertThat(Worlds.http(again, "GET", "/api/v1/namespaces/apiconnect/configmaps/before-kill", null, null)
                    .code()).isEqualTo(200);
            assertThat(again.recordedWrites()).extracting(w -> w.verb() + " " + w.name())
                    .containsExactly("patch apiconnect-cc", "create before-kill");
        }
    }

    @Test
    void aSeedObjectOfAnUnknownKindIsAClearError() throws Exception {
        Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(dir.resolve("cluster/x.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: fine}
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """);
        assertThatThrownBy(() -> SandboxApiServer.start(dir, SandboxApiServer.Options.defaults()))
                .isInstanceOf(SandboxKubeException.class)
                .hasMessage("cluster/x.yaml (document 2): the sandbox does not serve Widget (example.com/v1); "
                        + "add its CustomResourceDefinition under cluster/");
    }

    @Test
    void invalidSeedYamlNamesTheFile() throws Exception {
        Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(dir.resolve("cluster/bad.yaml"), "kind: [unclosed\n");
        assertThatThrownBy(() -> SandboxApiServer.start(dir, SandboxApiServer.Options.defaults()))
                .isInstanceOf(SandboxKubeException.class).hasMessageStartingWith("cluster/bad.yaml is not valid YAML");
    }
}
