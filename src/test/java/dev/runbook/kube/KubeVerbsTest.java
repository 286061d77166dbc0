package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeVerbsTest {
    private MockCluster cluster;
    private KubeConnection connection;
    private KubeVerbs kube;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        connection = cluster.connect(null);
        kube = new KubeVerbs(connection);
    }

    @AfterEach
    void stop() {
        connection.close();
        cluster.close();
    }

    @Test
    void applyCreatesThenUpdatesAndGetReturnsTheStoredObject() {
        Map<String, Object> created = kube.apply("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {mode: restore}
                """, null);
        assertThat(KubeValues.at(created, "metadata.namespace")).isEqualTo("apiconnect");
        assertThat(KubeValues.at(created, "data.mode")).isEqualTo("restore");

        kube.apply(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "settings"),
                "data", Map.of("mode", "normal")), null);

        Map<String, Object> got = kube.get("cm", "settings", null, null, null);
        assertThat(KubeValues.at(got, "data.mode")).isEqualTo("normal");
        assertThat(KubeValues.at(got, "metadata.resourceVersion")).isNotNull();
    }

    @Test
    void listGivesItemsWithKindAndApiVersionAndFiltersByLabel() {
        kube.apply(pod("cassandra-0", "cassandra"), null);
        kube.apply(pod("cassandra-1", "cassandra"), null);
        kube.apply(pod("web-0", "web"), null);

        Map<String, Object> list = kube.get("po", null, null, "app=cassandra", null);

        List<?> items = (List<?>) list.get("items");
        assertThat(items).extracting(i -> KubeValues.at(i, "metadata.name")).containsExactlyInAnyOrder("cassandra-0", "cassandra-1");
        assertThat(items).allSatisfy(i -> {
            assertThat(KubeValues.at(i, "kind")).isEqualTo("Pod");
            assertThat(KubeValues.at(i, "apiVersion")).isEqualTo("v1");
        });
    }

    @Test
    void customResourcesByShortNameKindAndQualifiedPlural() {
        kube.apply("""
                apiVersion: apic.ibm.com/v1beta1
                kind: CassandraCluster
                metadata: {name: mgmt-cc}
                spec: {replicas: 3}
                """, null);

        for (String name : List.of("cc", "CassandraCluster", "cassandracluster", "cassandraclusters.apic.ibm.com")) {
            Map<String, Object> list = kube.get(name, null, null, null, null);
            assertThat((List<?>) list.get("items")).as(name).singleElement()
                    .satisfies(i -> assertThat(KubeValues.at(i, "spec.replicas")).isEqualTo(3L));
        }
    }

    @Test
    void mergePatchAndJsonPatch() {
        kube.apply(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "p"), "data", Map.of("a", "1")), null);

        Map<String, Object> merged = kube.patch("configmaps", "p", null, Map.of("data", Map.of("b", "2")));
        assertThat(KubeValues.at(merged, "data")).isEqualTo(Map.of("a", "1", "b", "2"));

        Map<String, Object> patched = kube.patch("configmaps", "p", null,
                List.of(Map.of("op", "replace", "path", "/data/a", "value", "9")));
        assertThat(KubeValues.at(patched, "data.a")).isEqualTo("9");
    }

    @Test
    void deleteThenGetSaysNotFoundWithNamespace() {
        kube.apply(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "gone")), "other");
        kube.delete("configmap", "gone", "other");

        assertThatThrownBy(() -> kube.get("configmap", "gone", "other", null, null))
                .isInstanceOf(KubeException.class)
                .hasMessage("configmaps \"gone\" not found in namespace other");
    }

    @Test
    void unknownResourceTypeSuggestsTheClosestName() {
        assertThatThrownBy(() -> kube.get("podz", null, null, null, null))
                .isInstanceOf(KubeException.class)
                .hasMessage("unknown resource type 'podz' (did you mean 'pods'?)")
                .extracting(e -> ((KubeException) e).reason()).isEqualTo(KubeException.Reason.UNKNOWN_RESOURCE);
    }

    @Test
    void coreTypesWorkWhileTheNamedGroupsCannotBeDiscovered() {
        // An aggregated API that is down can break the list of groups; pods and ConfigMaps are
        // in the core group, which comes first, so they do not depend on it.
        try (MockCluster broken = new MockCluster(503); KubeConnection c = broken.connect(null)) {
            KubeVerbs verbs = new KubeVerbs(c);
            verbs.apply(pod("web-0", "web"), null);

            assertThat((List<?>) verbs.get("pods", null, null, null, null).get("items")).singleElement()
                    .satisfies(i -> assertThat(KubeValues.at(i, "metadata.name")).isEqualTo("web-0"));
            assertThatThrownBy(() -> verbs.get("cc", null, null, null, null))
                    .isInstanceOf(KubeException.class)
                    .hasMessageContaining("unable to handle the request");
        }
    }

    private static Map<String, Object> pod(String name, String app) {
        return Map.of("apiVersion", "v1", "kind", "Pod",
                "metadata", Map.of("name", name, "labels", Map.of("app", app)),
                "spec", Map.of("containers", List.of(Map.of("name", "main", "image", "busybox"))));
    }
}
