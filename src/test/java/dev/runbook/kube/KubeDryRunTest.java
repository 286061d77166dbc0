package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dry runs send dryRun=All and diff the answer with the live object. The mock server ignores
 * dryRun, so the answers to the dry-run requests are set as expectations (what a real server
 * would answer), and the test checks that the live object was not touched.
 */
class KubeDryRunTest {
    private MockCluster cluster;
    private KubeConnection connection;
    private KubeVerbs kube;
    private DryRun dryRun;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        connection = cluster.connect(null);
        kube = new KubeVerbs(connection);
        dryRun = new DryRun(kube);
    }

    @AfterEach
    void stop() {
        connection.close();
        cluster.close();
    }

    @Test
    void patchShowsAUnifiedDiffAgainstTheLiveObjectAndStoresNothing() {
        kube.apply(configMap("settings", "normal"), null);
        Map<String, Object> live = kube.get("configmaps", "settings", null, null, null);
        Map<String, Object> answer = copyWithMode(live, "restore");
        KubeValues.map(answer.get("metadata")).put("resourceVersion", "999");
        cluster.server.expect().patch().withPath("/api/v1/namespaces/apiconnect/configmaps/settings?fieldManager=runbook&dryRun=All")
                .andReturn(200, KubeValues.toJson(answer)).once();

        DryRunResult result = dryRun.patch("cm", "settings", null, Map.of("data", Map.of("mode", "restore")));

        assertThat(result.action()).isEqualTo("update");
        assertThat(result.summary()).isEqualTo("would change ConfigMap settings in namespace apiconnect (2 lines of diff)");
        assertThat(result.diff()).contains("--- live\n+++ after\n").contains("-  mode: normal\n+  mode: restore\n")
                .doesNotContain("resourceVersion");
        assertThat(KubeValues.at(kube.get("cm", "settings", null, null, null), "data.mode")).isEqualTo("normal");
    }

    @Test
    void applyOfANewObjectWouldCreate() {
        Map<String, Object> manifest = configMap("fresh", "x");
        Map<String, Object> answer = new LinkedHashMap<>(manifest);
        cluster.server.expect().patch().withPath("/api/v1/namespaces/apiconnect/configmaps/fresh?fieldManager=runbook&force=true&dryRun=All")
                .andReturn(201, KubeValues.toJson(answer)).once();

        DryRunResult result = dryRun.apply(manifest, null);

        assertThat(result.action()).isEqualTo("create");
        assertThat(result.summary()).isEqualTo("would create ConfigMap fresh in namespace apiconnect");
        assertThat(result.live()).isNull();
        assertThat(result.toMap()).containsEntry("dryRun", true).containsKey("object");
    }

    @Test
    void deleteOfAMissingObjectFailsAsTheRealRunWould() {
        assertThatThrownBy(() -> dryRun.delete("configmaps", "nothing", null))
                .isInstanceOf(KubeException.class)
                .hasMessage("configmaps \"nothing\" not found in namespace apiconnect");
    }

    @Test
    void deleteOfALiveObjectWouldDeleteIt() {
        kube.apply(configMap("old", "x"), null);
        cluster.server.expect().delete().withPath("/api/v1/namespaces/apiconnect/configmaps/old?dryRun=All")
                .andReturn(200, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Success\"}").once();

        DryRunResult result = dryRun.delete("cm", "old", null);

        assertThat(result.action()).isEqualTo("delete");
        assertThat(result.summary()).isEqualTo("would delete ConfigMap old in namespace apiconnect");
        assertThat(kube.get("cm", "old", null, null, null)).isNotNull();
    }

    @Test
    void aRefusedDryRunIsTheRealError() {
        kube.apply(configMap("locked", "x"), null);
        cluster.server.expect().patch().withPath("/api/v1/namespaces/apiconnect/configmaps/locked?fieldManager=runbook&dryRun=All")
                .andReturn(422, KubeErrorsTest.status(422, "Invalid", "ConfigMap \"locked\" is invalid: data: Too long")).once();

        assertThatThrownBy(() -> dryRun.patch("cm", "locked", null, List.of(Map.of("op", "add", "path", "/data/b", "value", "y"))))
                .hasMessage("invalid: ConfigMap \"locked\" is invalid: data: Too long");
    }

    private static Map<String, Object> configMap(String name, String mode) {
        return Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", name), "data", Map.of("mode", mode));
    }

    private static Map<String, Object> copyWithMode(Map<String, Object> object, String mode) {
        Map<String, Object> copy = KubeValues.map(KubeValues.plain(object));
        KubeValues.map(copy.get("data")).put("mode", mode);
        return copy;
    }
}
