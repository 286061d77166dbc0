package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The sandbox API server as a fabric8 client (what runbooks use) and plain HTTP see it. */
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class SandboxApiServerTest {
    private static final String CC_API = "apic.ibm.com/v1beta1";
    private static final String CC_PATH = "/apis/apic.ibm.com/v1beta1/namespaces/apiconnect/cassandraclusters";

    @TempDir
    Path dir;
    private final List<KubeWrite> writes = new CopyOnWriteArrayList<>();
    private SandboxApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        Worlds.copyFixture(dir);
        server = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults().withNamespace("apiconnect")
                .withWrites(writes::add));
        client = Worlds.client(server, dir);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private Resource<GenericKubernetesResource> cc() {
        return client.genericKubernetesResources(CC_API, "CassandraCluster").withName("apiconnect-cc");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void seededObjectsKeepTheirStatusAndGetServerAssignedFields() {
        GenericKubernetesResource cc = cc().get();
        assertThat(map(cc.getAdditionalProperties().get("status"))).containsEntry("ClusterRestoreStatus", "ready");
        assertThat(cc.getMetadata().getNamespace()).isEqualTo("apiconnect");
        assertThat(cc.getMetadata().getUid()).isNotBlank();
        assertThat(cc.getMetadata().getResourceVersion()).isNotBlank();
        assertThat(cc.getMetadata().getCreationTimestamp()).isNotBlank();
        assertThat(cc.getMetadata().getGeneration()).isEqualTo(1L);
        assertThat(client.pods().withName("apiconnect-cc-2").get().getStatus().getPhase()).isEqualTo("Pending");
        assertThat(client.secrets().withName("management-enc-key").get().getData())
                .containsKey("encryption_secret.bin");
    }

    @Test
    void createGetUpdateListDeleteThroughFabric8() {
        ConfigMap created = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata()
                .withName("settings").endMetadata().addToData("mode", "a").build()).create();
        assertThat(created.getMetadata().getUid()).isNotBlank();

        ConfigMap read = client.configMaps().withName("settings").get();
        read.getData().put("mode", "b");
        ConfigMap updated = client.configMaps().resource(read).update();
        assertThat(updated.getData()).containsEntry("mode", "b");
        assertThat(Long.parseLong(updated.getMetadata().getResourceVersion()))
                .isGreaterThan(Long.parseLong(created.getMetadata().getResourceVersion()));

        assertThat(client.configMaps().list().getItems()).extracting(c -> c.getMetadata().getName())
                .containsExactly("settings");
        client.configMaps().withName("settings").delete();
        assertThat(client.configMaps().withName("settings").get()).isNull();
    }

    @Test
    void labelSelectorsIncludingSetsAndAbsence() {
        assertThat(names(client.pods().withLabel("app", "cassandra").list().getItems()))
                .containsExactlyInAnyOrder("apiconnect-cc-0", "apiconnect-cc-1", "apiconnect-cc-2");
        assertThat(names(client.pods().withLabelIn("app", "cassandra", "apim").list().getItems())).hasSize(4);
        assertThat(names(client.pods().withLabelNotIn("app", "cassandra").list().getItems()))
                .containsExactly("management-apim-0");
        assertThat(names(client.pods().withoutLabel("tier").list().getItems())).containsExactly("management-apim-0");
        assertThat(names(client.pods().withLabel("tier").withLabel("app", "cassandra").list().getItems())).hasSize(3);
    }

    @Test
    void fieldSelectorsOnAnyDottedPath() {
        assertThat(names(client.pods().withField("status.phase", "Running").list().getItems()))
                .containsExactlyInAnyOrder("apiconnect-cc-0", "apiconnect-cc-1", "management-apim-0");
        assertThat(names(client.pods().withField("spec.nodeName", "worker-1").list().getItems()))
                .containsExactlyInAnyOrder("apiconnect-cc-0", "apiconnect-cc-2");
        assertThat(names(client.pods().withoutField("status.phase", "Running").list().getItems()))
                .containsExactly("apiconnect-cc-2");
        assertThat(names(client.pods().withField("metadata.name", "apiconnect-cc-1").list().getItems()))
                .containsExactly("apiconnect-cc-1");
        assertThat(client.pods().inAnyNamespace().withField("metadata.namespace", "other").list().getItems())
                .isEmpty();
    }

    @Test
    void mergePatchRemovesKeysGivenNullAndReplacesArrays() {
        cc().patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":null,\"backups\":[\"monthly\"]}}");
        Map<String, Object> spec = map(cc().get().getAdditionalProperties().get("spec"));
        assertThat(spec).doesNotContainKey("replicas");
        assertThat(spec.get("backups")).isEqualTo(List.of("monthly"));
        assertThat(cc().get().getMetadata().getGeneration()).isEqualTo(2L);
    }

    @Test
    void jsonPatchAppliesOperationsAndRefusesOneThatFails() {
        cc().patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5}]");
        assertThat(map(cc().get().getAdditionalProperties().get("spec"))).containsEntry("replicas", 5);

        Worlds.Raw failed = Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]");
        assertThat(failed.code()).isEqualTo(400);
        assertThat(Json.parse(failed.body()).path("kind").asString()).isEqualTo("Status");
    }

    @Test
    void strategicMergeMergesContainersByName() {
        client.pods().withName("management-apim-0").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
                "{\"spec\":{\"containers\":[{\"name\":\"apim\",\"image\":\"apim:11\"}]}}");
        Pod pod = client.pods().withName("management-apim-0").get();
        assertThat(pod.getSpec().getContainers()).extracting(c -> c.getName() + "=" + c.getImage())
                .containsExactly("apim=apim:11", "sidecar=proxy:1");
    }

    @Test
    void statusChangesOnlyThroughTheStatusSubresource() {
        Worlds.Raw main = Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":4},\"status\":{\"ClusterRestoreStatus\":\"hacked\"}}");
        assertThat(main.code()).isEqualTo(200);
        JsonNode afterMain = Json.parse(main.body());
        assertThat(afterMain.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(afterMain.at("/status/ClusterRestoreStatus").asString()).isEqualTo("ready");

        Worlds.Raw status = Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc/status",
                "application/merge-patch+json",
                "{\"spec\":{\"replicas\":9},\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");
        assertThat(status.code()).isEqualTo(200);
        JsonNode stored = Json.parse(Worlds.http(server, "GET", CC_PATH + "/apiconnect-cc/status", null, null).body());
        assertThat(stored.at("/status/ClusterRestoreStatus").asString()).isEqualTo("completed");
        assertThat(stored.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(stored.at("/metadata/generation").asInt()).isEqualTo(2);

        Worlds.Raw noStatus = Worlds.http(server, "GET",
                "/api/v1/namespaces/apiconnect/configmaps/x/status", null, null);
        assertThat(noStatus.code()).isEqualTo(404);
    }

    @Test
    void dryRunAnswersAsIfDoneAndStoresNothing() throws Exception {
        String before = Files.readString(dir.resolve(".state/cluster.json"));
        ConfigMap dry = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("dry")
                .endMetadata().build()).dryRun().create();
        assertThat(dry.getMetadata().getName()).isEqualTo("dry");
        assertThat(client.configMaps().withName("dry").get()).isNull();

        Worlds.Raw patched = Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc?dryRun=All",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":8}}");
        assertThat(Json.parse(patched.body()).at("/spec/replicas").asInt()).isEqualTo(8);
        assertThat(map(cc().get().getAdditionalProperties().get("spec"))).containsEntry("replicas", 3);

        client.pods().withName("apiconnect-cc-0").dryRun().delete();
        Worlds.Raw deleted = Worlds.http(server, "DELETE", "/api/v1/namespaces/apiconnect/pods/apiconnect-cc-1",
                "application/json", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}");
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(client.pods().withName("apiconnect-cc-0").get()).isNotNull();
        assertThat(client.pods().withName("apiconnect-cc-1").get()).isNotNull();

        assertThat(writes).isEmpty();
        assertThat(Files.readString(dir.resolve(".state/cluster.json"))).isEqualTo(before);
    }

    @Test
    void staleResourceVersionAndDuplicateNamesConflict() {
        Pod stale = client.pods().withName("apiconnect-cc-0").get();
        client.pods().withName("apiconnect-cc-0").edit(p -> {
            p.getMetadata().getLabels().put("touched", "yes");
            return p;
        });
        stale.getMetadata().getLabels().put("lost", "update");
        assertThatThrownBy(() -> client.pods().resource(stale).update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));

        Worlds.Raw duplicate = Worlds.http(server, "POST", "/api/v1/namespaces/apiconnect/secrets", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"management-enc-key\"}}");
        assertThat(duplicate.code()).isEqualTo(409);
        assertThat(Json.parse(duplicate.body()).path("reason").asString()).isEqualTo("AlreadyExists");
    }

    @Test
    void missingObjectsAndUnknownPathsAreNotFoundStatuses() {
        for (String path : List.of("/api/v1/namespaces/apiconnect/pods/nope", "/apis/nope.example.com/v1/things",
                "/api/v1/namespaces/apiconnect/widgets", "/nothing/here")) {
            Worlds.Raw answer = Worlds.http(server, "GET", path, null, null);
            assertThat(answer.code()).as(path).isEqualTo(404);
            JsonNode status = Json.parse(answer.body());
            assertThat(status.path("kind").asString()).as(path).isEqualTo("Status");
            assertThat(status.path("reason").asString()).as(path).isEqualTo("NotFound");
        }
        assertThat(Worlds.http(server, "DELETE", "/api/v1/namespaces/apiconnect/pods/nope", null, null).code())
                .isEqualTo(404);
        assertThat(client.pods().withName("nope").get()).isNull();

        Worlds.Raw badType = Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc", "text/plain", "x");
        assertThat(badType.code()).isEqualTo(415);
        assertThat(Json.parse(badType.body()).path("message").asString()).contains("merge-patch");
        Worlds.Raw collectionDelete = Worlds.http(server, "DELETE", "/api/v1/namespaces/apiconnect/pods", null, null);
        assertThat(collectionDelete.code()).isEqualTo(405);
        assertThat(client.pods().list().getItems()).hasSize(4);
    }

    @Test
    void discoveryServesCrdsWithShortNamesCategoriesAndStatus() {
        JsonNode resources = Json.parse(Worlds.http(server, "GET", "/apis/apic.ibm.com/v1beta1", null, null).body());
        JsonNode cc = null;
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode resource : resources.path("resources")) {
            names.add(resource.path("name").asString());
            if (resource.path("name").asString().equals("cassandraclusters")) {
                cc = resource;
            }
        }
        assertThat(names).containsExactly("cassandraclusters", "cassandraclusters/status");
        assertThat(cc.path("shortNames").get(0).asString()).isEqualTo("cc");
        assertThat(cc.path("categories").get(0).asString()).isEqualTo("apic");
        assertThat(cc.path("kind").asString()).isEqualTo("CassandraCluster");
        assertThat(cc.path("namespaced").asBoolean()).isTrue();

        String groups = Worlds.http(server, "GET", "/apis", null, null).body();
        assertThat(groups).contains("\"apic.ibm.com\"", "\"management.apiconnect.ibm.com\"", "\"apps\"", "\"batch\"");
        assertThat(Worlds.http(server, "GET", "/api/v1", null, null).body()).contains("\"pods/exec\"", "\"po\"");
    }

    @Test
    void writesAreRecordedButNotDryRuns() {
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("w").endMetadata().build())
                .create();
        Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"Restoring\"}}");
        client.pods().withName("apiconnect-cc-2").delete();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("d").endMetadata().build())
                .dryRun().create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("w").endMetadata().build())
                .createOr(NonDeletingOperation::update);

        assertThat(writes).extracting(w -> w.verb() + " " + w.resource() + (w.subresource() == null ? "" : "/"
                + w.subresource()) + " " + w.namespace() + "/" + w.name()).containsExactly(
                        "create configmaps apiconnect/w",
                        "patch cassandraclusters.apic.ibm.com/status apiconnect/apiconnect-cc",
                        "delete pods apiconnect/apiconnect-cc-2",
                        "update configmaps apiconnect/w");
        assertThat(server.recordedWrites()).isEqualTo(writes);
    }

    private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> items) {
        return items.stream().map(i -> i.getMetadata().getName()).toList();
    }
}
