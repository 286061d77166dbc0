package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kubectl get} prints the columns users know, from the server's Table answers. */
@Timeout(value = 180, unit = java.util.concurrent.TimeUnit.SECONDS)
class KubectlTablesTest {
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
    void start() throws IOException {
        Instant started = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        // The job ran for 95 s two hours ago: DURATION comes from its status, AGE from the server's stamp.
        Files.createDirectories(dir.resolve("cluster"));
        Files.writeString(dir.resolve("cluster/world.yaml"), """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: cassandraclusters.apic.example.com}
                spec:
                  group: apic.example.com
                  scope: Namespaced
                  names: {plural: cassandraclusters, singular: cassandracluster, kind: CassandraCluster, shortNames: [cc]}
                  versions:
                    - name: v1
                      served: true
                      storage: true
                      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                      additionalPrinterColumns:
                        - {name: Ready, type: string, jsonPath: ".status.conditions[?(@.type==\\"Ready\\")].status"}
                        - {name: Replicas, type: integer, jsonPath: .spec.replicas}
                        - {name: Phase, type: string, jsonPath: .status.phase, priority: 1}
                ---
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: backups.apic.example.com}
                spec:
                  group: apic.example.com
                  scope: Namespaced
                  names: {plural: backups, singular: backup, kind: Backup}
                  versions:
                    - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
                ---
                apiVersion: apic.example.com/v1
                kind: CassandraCluster
                metadata: {name: cc1}
                spec: {replicas: 3}
                status: {phase: Restoring, conditions: [{type: Progressing, status: "True"}, {type: Ready, status: "False"}]}
                ---
                apiVersion: apic.example.com/v1
                kind: Backup
                metadata: {name: nightly}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-0, labels: {app: web}}
                spec:
                  nodeName: worker-1
                  containers: [{name: web, image: "shop/web:1"}, {name: proxy, image: "shop/proxy:1"}]
                status:
                  phase: Running
                  podIP: 10.1.2.3
                  containerStatuses:
                    - {name: web, ready: true, restartCount: 2, state: {running: {}}}
                    - {name: proxy, ready: false, restartCount: 1, state: {waiting: {reason: CrashLoopBackOff}}}
                ---
                apiVersion: batch/v1
                kind: Job
                metadata: {name: restore}
                spec:
                  completions: 1
                  template: {spec: {restartPolicy: Never, containers: [{name: restore, image: "restore:2"}]}}
                status:
                  succeeded: 1
                  startTime: "%s"
                  completionTime: "%s"
                  conditions: [{type: Complete, status: "True"}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: portal}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: portal}}
                  template: {metadata: {labels: {app: portal}}, spec: {containers: [{name: www, image: "portal:9"}]}}
                status: {readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2}
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: worker-1, labels: {node-role.kubernetes.io/worker: ""}}
                status:
                  conditions: [{type: Ready, status: "True"}]
                  nodeInfo: {kubeletVersion: v1.30.2}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: apiconnect}
                status: {phase: Active}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: enc-key}
                type: kubernetes.io/tls
                data: {tls.crt: YQ==, tls.key: Yg==}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: settings}
                data: {a: "1", b: "2", c: "3"}
                ---
                apiVersion: v1
                kind: Event
                metadata: {name: web-0.17a2b3c4}
                type: Warning
                reason: BackOff
                message: "Back-off restarting failed container proxy\n"
                involvedObject: {kind: Pod, name: web-0}
                lastTimestamp: "%3$s"
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: portal}
                spec:
                  type: NodePort
                  clusterIP: 10.96.0.12
                  selector: {app: portal}
                  ports: [{port: 443, nodePort: 30443, protocol: TCP}]
                """.formatted(started, started.plus(95, ChronoUnit.SECONDS), started.plus(80, ChronoUnit.MINUTES)));
        server = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults().withNamespace("apiconnect"));
        kubectl = RealKubectl.against(binary, server, dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * The printed table as rows of cells split on runs of two or more spaces. The server stamps
     * every object's creation time when it seeds it, so an AGE cell is checked to be a short age
     * kubectl-style ({@code 7s}, {@code 2m3s}) and then shown as {@code <age>}.
     */
    private List<List<String>> table(String... args) {
        List<List<String>> rows = kubectl.ok(args).out().lines().filter(l -> !l.isBlank())
                .map(l -> List.of(l.strip().split("\\s{2,}"))).toList();
        List<List<String>> out = new java.util.ArrayList<>();
        int age = -1;
        for (List<String> row : rows) {
            if (row.contains("NAME")) {
                age = row.indexOf("AGE");
                out.add(row);
                continue;
            }
            List<String> cells = new java.util.ArrayList<>(row);
            if (age >= 0 && age < cells.size()) {
                assertThat(cells.get(age)).as("AGE of " + row).matches("\\d+s|\\d+m(\\d+s)?");
                cells.set(age, "<age>");
            }
            out.add(cells);
        }
        return out;
    }

    @Test
    void podsShowReadyStatusRestartsAndAgeAndWideAddsIpAndNode() {
        List<List<String>> pods = table("get", "pods");
        assertThat(pods.get(0)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
        assertThat(pods.get(1)).containsExactly("web-0", "1/2", "CrashLoopBackOff", "3", "<age>");
        List<List<String>> wide = table("get", "pod", "web-0", "-o", "wide");
        assertThat(wide.get(0)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE",
                "NOMINATED NODE", "READINESS GATES");
        assertThat(wide.get(1)).containsExactly("web-0", "1/2", "CrashLoopBackOff", "3", "<age>", "10.1.2.3", "worker-1",
                "<none>", "<none>");
    }

    @Test
    void workloadsShowCompletionsDurationAndReplicas() {
        List<List<String>> jobs = table("get", "jobs");
        assertThat(jobs.get(0)).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
        assertThat(jobs.get(1)).containsExactly("restore", "Complete", "1/1", "95s", "<age>");
        List<List<String>> deployments = table("get", "deploy");
        assertThat(deployments.get(0)).containsExactly("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
        assertThat(deployments.get(1)).containsExactly("portal", "2/3", "3", "2", "<age>");
    }

    @Test
    void clusterKindsSecretsConfigMapsAndServicesShowTheirColumns() {
        assertThat(table("get", "nodes")).containsExactly(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
                List.of("worker-1", "Ready", "worker", "<age>", "v1.30.2"));
        assertThat(table("get", "ns")).containsExactly(List.of("NAME", "STATUS", "AGE"), List.of("apiconnect", "Active", "<age>"));
        assertThat(table("get", "secrets")).containsExactly(List.of("NAME", "TYPE", "DATA", "AGE"),
                List.of("enc-key", "kubernetes.io/tls", "2", "<age>"));
        assertThat(table("get", "cm")).containsExactly(List.of("NAME", "DATA", "AGE"), List.of("settings", "3", "<age>"));
        assertThat(table("get", "svc")).containsExactly(List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
                List.of("portal", "NodePort", "10.96.0.12", "<none>", "443:30443/TCP", "<age>"));
    }

    @Test
    void eventsLeadWithLastSeenAndNameOnlyWhenWide() {
        assertThat(table("get", "events")).containsExactly(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
                List.of("40m", "Warning", "BackOff", "pod/web-0", "Back-off restarting failed container proxy"));
        assertThat(table("get", "events", "-o", "wide").get(0)).last().isEqualTo("NAME");
    }

    @Test
    void aWatchPrintsTheSameColumnsAsTheGet() throws Exception {
        ProcessBuilder watch = new ProcessBuilder(binary, "--cache-dir", dir.resolve("kube-cache").toString(), "get", "pods", "-w",
                "--request-timeout=60s").redirectErrorStream(true).redirectOutput(dir.resolve("watch.txt").toFile());
        watch.environment().put("KUBECONFIG", dir.resolve("kubeconfig").toString());
        watch.environment().put("HOME", dir.toString());
        Process p = watch.start();
        try {
            awaitText(dir.resolve("watch.txt"), "CrashLoopBackOff");
            kubectl.ok("patch", "pod", "web-0", "--subresource", "status", "--type", "merge", "-p",
                    "{\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\"}}");
            awaitText(dir.resolve("watch.txt"), "Evicted");
            List<List<String>> printed = Files.readString(dir.resolve("watch.txt")).lines()
                    .map(l -> List.of(l.strip().split("\\s{2,}"))).toList();
            assertThat(printed.get(0)).containsExactly("NAME", "READY", "STATUS", "RESTARTS", "AGE");
            assertThat(printed.get(printed.size() - 1)).startsWith("web-0", "1/2", "Evicted", "3");
        } finally {
            p.destroy();
            p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private static void awaitText(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            assertThat(System.nanoTime() < deadline).as("'%s' printed by kubectl get -w within 60 s: %s", text,
                    Files.exists(file) ? Files.readString(file) : "").isTrue();
            Thread.sleep(100);
        }
    }

    @Test
    void customResourcesShowTheirCrdPrinterColumnsOrAge() {
        assertThat(table("get", "cc")).containsExactly(List.of("NAME", "READY", "REPLICAS"), List.of("cc1", "False", "3"));
        assertThat(table("get", "cc", "-o", "wide")).containsExactly(List.of("NAME", "READY", "REPLICAS", "PHASE"),
                List.of("cc1", "False", "3", "Restoring"));
        assertThat(table("get", "backups")).containsExactly(List.of("NAME", "AGE"), List.of("nightly", "<age>"));
    }

    @Test
    void otherOutputFormatsStillGetTheObjects() {
        assertThat(kubectl.ok("get", "pods", "-o", "name").out().strip()).isEqualTo("pod/web-0");
        assertThat(kubectl.ok("get", "cc", "cc1", "-o", "jsonpath={.spec.replicas}").out()).isEqualTo("3");
        assertThat(table("get", "pods,cm")).contains(List.of("pod/web-0", "1/2", "CrashLoopBackOff", "3", "<age>"),
                List.of("configmap/settings", "3", "<age>"));
    }
}
