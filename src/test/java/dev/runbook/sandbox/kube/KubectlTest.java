package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The real kubectl against the sandbox, as stubs and controllers use it. */
@Timeout(value = 120, unit = java.util.concurrent.TimeUnit.SECONDS)
class KubectlTest {
    private static String kubectl;

    @TempDir
    Path dir;
    private SandboxApiServer server;
    private KubernetesClient client;
    private Path kubeconfig;
    private RealKubectl real;

    @BeforeAll
    static void findKubectl() {
        kubectl = RealKubectl.findOrSkip();
    }

    @BeforeEach
    void start() {
        Worlds.copyFixture(dir);
        server = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults().withNamespace("apiconnect"));
        real = RealKubectl.against(kubectl, server, dir);
        kubeconfig = real.kubeconfig();
        client = Worlds.client(server, dir);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void getsACustomResourceByShortNameAsJson() {
        JsonNode cc = Json.parse(real.ok("get", "cc", "apiconnect-cc", "-o", "json").out());
        assertThat(cc.path("kind").asString()).isEqualTo("CassandraCluster");
        assertThat(cc.at("/status/ClusterRestoreStatus").asString()).isEqualTo("ready");
        assertThat(real.ok("get", "mgmt", "-o", "name").out().trim())
                .isEqualTo("managementcluster.management.apiconnect.ibm.com/management");
        assertThat(real.ok("get", "apic", "-o", "name").out().lines().toList()).containsExactlyInAnyOrder(
                "cassandracluster.apic.ibm.com/apiconnect-cc",
                "managementcluster.management.apiconnect.ibm.com/management");
    }

    @Test
    void getsWithLabelAndFieldSelectors() {
        assertThat(real.ok("get", "pods", "-l", "app=cassandra,tier in (db)", "-o", "name").out().lines().toList())
                .containsExactlyInAnyOrder("pod/apiconnect-cc-0", "pod/apiconnect-cc-1", "pod/apiconnect-cc-2");
        assertThat(real.ok("get", "po", "--field-selector", "status.phase!=Running", "-o", "name").out().trim())
                .isEqualTo("pod/apiconnect-cc-2");
        RealKubectl.Result none = real.ok("get", "pods", "-l", "app=nothing");
        assertThat(none.err()).contains("No resources found in apiconnect namespace.");
    }

    @Test
    void describesAPod() {
        String described = real.ok("describe", "pod", "apiconnect-cc-0").out();
        assertThat(described).contains("Name:", "apiconnect-cc-0", "Namespace:", "apiconnect", "worker-1",
                "app=cassandra", "cassandra:4");
    }

    @Test
    void patchesStrategicByDefaultMergeAndStatus() {
        real.ok("patch", "pod", "management-apim-0", "-p", "{\"spec\":{\"containers\":[{\"name\":\"sidecar\","
                + "\"image\":\"proxy:2\"}]}}");
        assertThat(client.pods().withName("management-apim-0").get().getSpec().getContainers())
                .extracting(c -> c.getName() + "=" + c.getImage()).containsExactly("apim=apim:10", "sidecar=proxy:2");

        real.ok("patch", "cc", "apiconnect-cc", "--type", "merge", "-p", "{\"spec\":{\"backups\":[\"monthly\"]}}");
        real.ok("patch", "cc", "apiconnect-cc", "--subresource", "status", "--type", "merge", "-p",
                "{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");
        JsonNode cc = Json.parse(real.ok("get", "cc", "apiconnect-cc", "-o", "json").out());
        assertThat(cc.at("/spec/backups").toString()).isEqualTo("[\"monthly\"]");
        assertThat(cc.at("/status/ClusterRestoreStatus").asString()).isEqualTo("completed");
        assertThat(server.recordedWrites()).extracting(w -> w.verb() + " " + w.resource()
                + (w.subresource() == null ? "" : "/" + w.subresource())).containsExactly("patch pods",
                        "patch cassandraclusters.apic.ibm.com", "patch cassandraclusters.apic.ibm.com/status");
    }

    @Test
    void appliesCreatesThenConfiguresAndDeletes() throws IOException {
        Path job = dir.resolve("job.yaml");
        String manifest = """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: restore-1
                  labels: {app: restore}
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: restore
                          image: restore:IMAGE
                """;
        Files.writeString(job, manifest.replace("IMAGE", "1"));
        assertThat(real.ok("apply", "-f", job.toString()).out()).contains("job.batch/restore-1 created");
        Files.writeString(job, manifest.replace("IMAGE", "2"));
        assertThat(real.ok("apply", "-f", job.toString()).out()).contains("job.batch/restore-1 configured");
        assertThat(client.batch().v1().jobs().withName("restore-1").get().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getImage()).isEqualTo("restore:2");
        assertThat(real.ok("apply", "--server-side", "-f", job.toString()).out()).contains("serverside-applied");

        assertThat(real.ok("apply", "--dry-run=server", "-f", dir.resolve("job.yaml").toString()).out())
                .contains("server dry run");
        assertThat(real.ok("delete", "job", "restore-1").out()).contains("job.batch \"restore-1\" deleted");
        assertThat(client.batch().v1().jobs().withName("restore-1").get()).isNull();
        RealKubectl.Result again = real.run("delete", "job", "restore-1");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("NotFound", "restore-1");
    }

    @Test
    void watchSeesAStatusChange() throws Exception {
        Process watch = real.command("get", "cc", "-w", "--output-watch-events", "-o", "custom-columns="
                + "EVENT:.type,NAME:.object.metadata.name,STATE:.object.status.ClusterRestoreStatus",
                "--request-timeout=60s").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("read failed: " + e.getMessage());
            }
        });
        try {
            List<String> seen = new ArrayList<>();
            while (seen.stream().noneMatch(l -> l.contains("ADDED"))) {
                String line = lines.poll(30, TimeUnit.SECONDS);
                assertThat(line).as("kubectl get -w printed %s then nothing for 30 s", seen).isNotNull();
                seen.add(line);
            }
            real.ok("patch", "cc", "apiconnect-cc", "--subresource", "status", "--type", "merge", "-p",
                    "{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");
            String change = lines.poll(30, TimeUnit.SECONDS);
            assertThat(change).as("no event within 30 s after %s", seen).isNotNull();
            assertThat(change.split("\\s+")).containsExactly("MODIFIED", "apiconnect-cc", "completed");
        } finally {
            watch.destroy();
            watch.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
        }
    }

    @Test
    void execWithoutAnAnswerExits127WithTheSandboxMessage() {
        RealKubectl.Result result = real.run("exec", "apiconnect-cc-0", "--", "nodetool", "status");
        assertThat(result.exit()).isEqualTo(127);
        assertThat(result.err()).contains(
                "sandbox: no exec answer for 'nodetool status' in pod apiconnect-cc-0 (add one to sandbox.yaml)");
    }
}
