package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What streams: watches (chunked HTTP and fabric8's), exec over WebSocket, pod logs. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SandboxStreamsTest {
    private static final String CC_PATH = "/apis/apic.ibm.com/v1beta1/namespaces/apiconnect/cassandraclusters";

    @TempDir
    Path dir;
    private SandboxApiServer server;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        Worlds.copyFixture(dir);
        ExecAnswers exec = (namespace, pod, container, command) -> pod.startsWith("apiconnect-cc-")
                && String.join(" ", command).equals("df /var/db")
                        ? Optional.of(new ExecAnswers.ExecResult("4096000\n", "", 0))
                        : Optional.empty();
        LogAnswers logs = (namespace, pod, container) -> pod.equals("management-apim-0") && container.equals("sidecar")
                ? Optional.of("one\ntwo\nrestore finished\n") : Optional.empty();
        server = SandboxApiServer.start(dir, SandboxApiServer.Options.defaults().withNamespace("apiconnect")
                .withExec(exec).withLogs(logs));
        client = Worlds.client(server, dir);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void chunkedWatchFromAListsVersionSeesAStatusChange() throws Exception {
        String listVersion = Json.parse(Worlds.http(server, "GET", CC_PATH, null, null).body())
                .at("/metadata/resourceVersion").asString();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + CC_PATH
                    + "?watch=true&resourceVersion=" + listVersion)).build();
            CompletableFuture<HttpResponse<Stream<String>>> response =
                    http.sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            HttpResponse<Stream<String>> watch = response.get(20, TimeUnit.SECONDS);
            assertThat(watch.statusCode()).isEqualTo(200);
            Thread reader = Thread.ofVirtual().start(() -> watch.body().forEach(lines::add));

            Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc/status", "application/merge-patch+json",
                    "{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}");

            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("a watch event within 20 s").isNotNull();
            JsonNode event = Json.parse(line);
            assertThat(event.path("type").asString()).isEqualTo("MODIFIED");
            assertThat(event.at("/object/status/ClusterRestoreStatus").asString()).isEqualTo("completed");
            assertThat(Long.parseLong(event.at("/object/metadata/resourceVersion").asString()))
                    .isGreaterThan(Long.parseLong(listVersion));
            reader.interrupt();
        } finally {
            http.shutdownNow(); // close() would wait for the endless watch to end
        }
    }

    @Test
    void watchWithoutVersionStartsWithTheObjectsThatExistAndEndsAtItsTimeout() {
        Worlds.Raw answer = Worlds.http(server, "GET",
                "/api/v1/namespaces/apiconnect/pods?watch=true&labelSelector=app%3Dcassandra&timeoutSeconds=1",
                null, null);
        List<String> types = answer.body().lines().map(l -> Json.parse(l).path("type").asString() + " "
                + Json.parse(l).at("/object/metadata/name").asString()).toList();
        assertThat(types).containsExactlyInAnyOrder("ADDED apiconnect-cc-0", "ADDED apiconnect-cc-1",
                "ADDED apiconnect-cc-2");
    }

    @Test
    void fabric8WatchSeesModificationAndDeletion() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (var watch = client.genericKubernetesResources("apic.ibm.com/v1beta1", "CassandraCluster")
                .watch(new Watcher<GenericKubernetesResource>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource resource) {
                        events.add(action + " " + resource.getMetadata().getName());
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                })) {
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("ADDED apiconnect-cc");
            Worlds.http(server, "PATCH", CC_PATH + "/apiconnect-cc", "application/merge-patch+json",
                    "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("MODIFIED apiconnect-cc");
            Worlds.http(server, "DELETE", CC_PATH + "/apiconnect-cc", null, null);
            assertThat(events.poll(20, TimeUnit.SECONDS)).isEqualTo("DELETED apiconnect-cc");
        }
    }

    @Test
    void execIsAnsweredByTheCallbackOrExits127() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ExecWatch exec = client.pods().withName("apiconnect-cc-1").inContainer("cassandra")
                .writingOutput(out).writingError(err).exec("df", "/var/db")) {
            assertThat(exec.exitCode().get(20, TimeUnit.SECONDS)).isZero();
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("4096000\n");

        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        ByteArrayOutputStream err2 = new ByteArrayOutputStream();
        try (ExecWatch exec = client.pods().withName("management-apim-0").writingOutput(out2).writingError(err2)
                .exec("nodetool", "status")) {
            assertThat(exec.exitCode().get(20, TimeUnit.SECONDS)).isEqualTo(127);
        }
        assertThat(err2.toString(StandardCharsets.UTF_8)).isEqualTo(
                "sandbox: no exec answer for 'nodetool status' in pod management-apim-0 (add one to sandbox.yaml)\n");
    }

    @Test
    void logsAreAnsweredByTheCallbackWithTail() {
        Worlds.Raw all = Worlds.http(server, "GET",
                "/api/v1/namespaces/apiconnect/pods/management-apim-0/log?container=sidecar", null, null);
        assertThat(all.body()).isEqualTo("one\ntwo\nrestore finished\n");
        Worlds.Raw tail = Worlds.http(server, "GET",
                "/api/v1/namespaces/apiconnect/pods/management-apim-0/log?container=sidecar&tailLines=1", null, null);
        assertThat(tail.body()).isEqualTo("restore finished\n");
        Worlds.Raw wrong = Worlds.http(server, "GET",
                "/api/v1/namespaces/apiconnect/pods/management-apim-0/log?container=nope", null, null);
        assertThat(wrong.code()).isEqualTo(400);
        assertThat(client.pods().withName("apiconnect-cc-0").getLog()).isEmpty();
    }
}
