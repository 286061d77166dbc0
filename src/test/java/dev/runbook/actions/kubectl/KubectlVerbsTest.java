package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import dev.runbook.kube.KubeValues;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.sandbox.kube.ExecAnswers;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 3: every kubectl verb through the CLI against the sandbox API server. */
@Timeout(60)
class KubectlVerbsTest {
    @TempDir
    Path dir;
    private KubeRunbooks world;

    @BeforeEach
    void start() {
        SandboxApiServer.Options options = SandboxApiServer.Options.defaults()
                .withLogs((ns, pod, container) -> pod.equals("apiconnect-cc-0") ? Optional.of("one\ntwo\nthree\n") : Optional.empty())
                .withExec((ns, pod, container, command) -> switch (String.join(" ", command)) {
                    case "df -Pk /var/lib/cassandra" -> Optional.of(new ExecAnswers.ExecResult("4096000\n", "", 0));
                    case "false" -> Optional.of(new ExecAnswers.ExecResult("", "disk is full\n", 3));
                    default -> Optional.empty();
                });
        world = new KubeRunbooks(dir, options);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void getListsWithSelectorsAndReadsOneObjectByShortNameAndCrd() {
        Cli.Result r = world.run("gets", """
                - id: pods
                  kubectl: {get: po, selector: "app=cassandra"}
                  capture:
                    names: "${{ result.items.map(p, p.metadata.name) }}"
                - id: running
                  kubectl: {get: pods, fieldSelector: "status.phase=Running", selector: "tier=db"}
                  capture:
                    count: "${{ size(result.items) }}"
                - id: cc
                  kubectl: {get: cc, name: apiconnect-cc}
                  capture:
                    status: "${{ result.status.ClusterRestoreStatus }}"
                - id: mgmt
                  kubectl: {get: managementclusters.management.apiconnect.ibm.com}
                  capture:
                    kinds: "${{ result.items.map(m, m.kind) }}"
                - id: check
                  assert:
                    that:
                      - "${{ steps.pods.outputs.names == ['apiconnect-cc-0', 'apiconnect-cc-1', 'apiconnect-cc-2'] }}"
                      - "${{ steps.running.outputs.count == 2 }}"
                      - "${{ steps.cc.outputs.status == 'ready' }}"
                      - "${{ steps.mgmt.outputs.kinds == ['ManagementCluster'] }}"
                """);
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void applyPatchAndDeleteChangeTheCluster() {
        Cli.Result r = world.run("writes", """
                - id: create
                  kubectl:
                    apply:
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: settings}
                      data: {mode: normal}
                  capture:
                    uid: "${{ result.metadata.uid }}"
                - id: from-text
                  kubectl:
                    apply: |
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: other}
                      data: {a: "1"}
                - id: merge
                  kubectl: {patch: configmap, name: settings, merge: {data: {mode: restore}}}
                  capture:
                    mode: "${{ result.data.mode }}"
                - id: json-patch
                  kubectl:
                    patch: cc
                    name: apiconnect-cc
                    merge: "[{op: replace, path: /spec/replicas, value: 5}]"
                - id: gone
                  kubectl: {delete: cm, name: other}
                - id: check
                  assert:
                    that: "${{ steps.merge.outputs.mode == 'restore' && steps.create.outputs.uid != '' }}"
                """);
        assertThat(r.code()).as(r.all()).isZero();
        KubeVerbs client = world.client();
        assertThat(KubeValues.at(client.get("configmaps", "settings", "apiconnect", null, null), "data.mode")).isEqualTo("restore");
        assertThat(KubeValues.at(client.get("cc", "apiconnect-cc", "apiconnect", null, null), "spec.replicas")).isEqualTo(5L);
        assertThat(client.get("configmaps", null, "apiconnect", null, null).get("items").toString()).doesNotContain("name=other");
    }

    @Test
    void applyFileAppliesEveryDocument() throws Exception {
        Path manifests = dir.resolve("m.yaml");
        Files.writeString(manifests, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: first}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: second, namespace: default}
                """);
        Cli.Result r = world.run("file", """
                - id: both
                  kubectl: {applyFile: "%s"}
                  capture:
                    namespaces: "${{ result.items.map(i, i.metadata.namespace) }}"
                - id: check
                  assert: {that: "${{ steps.both.outputs.namespaces == ['apiconnect', 'default'] }}"}
                """.formatted(manifests));
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void logsAndExec() {
        Cli.Result r = world.run("pods", """
                - id: log
                  kubectl: {logs: {pod: apiconnect-cc-0, container: cassandra, tail: 2}}
                  capture:
                    lines: "${{ result.lines }}"
                - id: df
                  kubectl: {exec: {pod: apiconnect-cc-0, command: [df, -Pk, /var/lib/cassandra]}}
                  capture:
                    free: "${{ result.stdout.trim() }}"
                    code: "${{ result.exitCode }}"
                - id: check
                  assert:
                    that:
                      - "${{ steps.df.outputs.free == '4096000' && steps.df.outputs.code == 0 }}"
                      - "${{ size(steps.log.outputs.lines) > 0 }}"
                """);
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void execThatExitsNonZeroFailsTheStepWithItsError() {
        Cli.Result r = world.run("fails", """
                - id: broken
                  kubectl: {exec: {pod: apiconnect-cc-1, container: cassandra, command: ["false"]}}
                """);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("exited with code 3").contains("disk is full").doesNotContain("Exception");
    }

    @Test
    void execWithAnAllowedExitCodeSucceedsWithThatCodeAsItsResult() {
        Cli.Result r = world.run("allowed", """
                - id: probe
                  kubectl: {exec: {pod: apiconnect-cc-1, container: cassandra, command: ["false"]}, allowExitCodes: [1, 3]}
                  capture:
                    code: "${{ result.exitCode }}"
                    err: "${{ result.stderr }}"
                - id: check
                  assert: {that: "${{ steps.probe.outputs.code == 3 && steps.probe.outputs.err.trim() == 'disk is full' }}"}
                """);
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void execWithAnExitCodeOutsideAllowExitCodesStillFails() {
        Cli.Result r = world.run("notallowed", """
                - id: probe
                  kubectl: {exec: {pod: apiconnect-cc-1, container: cassandra, command: ["false"]}, allowExitCodes: [1]}
                """);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("command in pod apiconnect-cc-1 exited with code 3: disk is full");
    }

    @Test
    void allowExitCodesOnAnotherVerbIsAnErrorOfTheRunbook() {
        Cli.Result r = world.run("misplaced", """
                - id: read
                  kubectl: {get: pods, allowExitCodes: [1]}
                """);
        assertThat(r.code()).as(r.all()).isEqualTo(2);
        assertThat(r.all()).contains("'allowExitCodes' does not apply to kubectl get");
    }

    @Test
    void exportWritesACleanManifestAndASecretOwnerOnly() throws Exception {
        Path cc = dir.resolve("out/cc.yaml");
        Path key = dir.resolve("out/key.yaml");
        Cli.Result r = world.run("export", """
                - id: cc
                  kubectl: {export: cc, name: apiconnect-cc, to: "%s", strip: [metadata.labels]}
                  capture: {kind: "${{ result.kind }}"}
                - id: key
                  kubectl: {export: secret, name: management-enc-key, to: "%s"}
                - id: check
                  assert: {that: "${{ steps.cc.outputs.kind == 'CassandraCluster' }}"}
                """.formatted(cc, key));
        assertThat(r.code()).as(r.all()).isZero();
        String manifest = Files.readString(cc);
        assertThat(manifest).contains("name: apiconnect-cc").contains("replicas: 3")
                .doesNotContain("uid:").doesNotContain("resourceVersion").doesNotContain("status").doesNotContain("part-of");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).contains("c2VjcmV0LWtleQ==");
    }

    @Test
    void aSecretsValuesAreRedactedFromOutputJournalAndReport() {
        Cli.Result r = world.run("secret", """
                - id: read
                  kubectl: {get: secret, name: management-enc-key}
                  capture:
                    encoded: "${{ result.data['encryption_secret.bin'] }}"
                - id: show
                  shell: {command: [echo, "key ${{ steps.read.outputs.encoded }}"]}
                """);
        assertThat(r.all()).contains("key ");
        assertThat(r.all()).doesNotContain("c2VjcmV0LWtleQ==").doesNotContain("secret-key");
        assertThat(world.stateText()).isNotEmpty().doesNotContain("c2VjcmV0LWtleQ==").doesNotContain("secret-key");
    }

    @Test
    void stepNamespaceWinsOverTheTargets() {
        Cli.Result r = world.run("ns", """
                - id: made
                  kubectl:
                    namespace: default
                    apply: {apiVersion: v1, kind: ConfigMap, metadata: {name: here}}
                  capture: {ns: "${{ result.metadata.namespace }}"}
                - id: check
                  assert: {that: "${{ steps.made.outputs.ns == 'default' }}"}
                """);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(world.client().get("configmaps", "here", "default", null, null)).containsKey("metadata");
    }
}
