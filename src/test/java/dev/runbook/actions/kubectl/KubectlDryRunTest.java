package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import dev.runbook.kube.KubeValues;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 6: a dry run sends mutating verbs with dryRun=All and changes nothing. */
@Timeout(60)
class KubectlDryRunTest {
    @TempDir
    Path dir;
    private KubeRunbooks world;

    @BeforeEach
    void start() {
        world = new KubeRunbooks(dir, SandboxApiServer.Options.defaults());
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void mutatingVerbsAreRehearsedByTheServerAndLeaveTheClusterUnchanged() {
        Path export = dir.resolve("cc.yaml");
        Cli.Result r = world.run("rehearse", """
                - id: scale
                  kubectl: {patch: cc, name: apiconnect-cc, merge: {spec: {replicas: 7}}}
                - id: create
                  kubectl:
                    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: fresh}, data: {a: b}}
                - id: remove
                  kubectl: {delete: pod, name: apiconnect-cc-2}
                - id: save
                  kubectl: {export: cc, name: apiconnect-cc, to: "%s"}
                """.formatted(export), "--dry-run");
        assertThat(r.code()).as(r.all()).isZero();
        String shown = r.all() + world.stateText();
        assertThat(shown).as("the diff against the live object").contains("-  replicas: 3").contains("+  replicas: 7").contains("would create ConfigMap fresh")
                .contains("would delete Pod apiconnect-cc-2").contains("would write CassandraCluster apiconnect-cc to " + export);
        KubeVerbs client = world.client();
        assertThat(KubeValues.at(client.get("cc", "apiconnect-cc", null, null, null), "spec.replicas")).isEqualTo(3L);
        assertThat(client.get("configmaps", null, null, null, null).toString()).doesNotContain("fresh");
        assertThat(client.get("pods", "apiconnect-cc-2", null, null, null)).isNotEmpty();
        assertThat(Files.exists(export)).as("nothing written").isFalse();
        assertThat(world.server.recordedWrites()).as("no write reached the store").isEmpty();
    }

    @Test
    void aRefusalFailsTheRehearsalAtThatStep() {
        Cli.Result r = world.run("refused", """
                - id: missing
                  kubectl: {patch: cc, name: no-such-cluster, merge: {spec: {replicas: 1}}}
                - id: after
                  kubectl: {delete: cm, name: whatever}
                """, "--dry-run");
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("no-such-cluster").contains("not found").doesNotContain("Exception");
    }
}
