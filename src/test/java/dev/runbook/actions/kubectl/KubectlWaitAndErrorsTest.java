package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An until on a get reacts to a watch; every failure is one clear line. */
@Timeout(60)
class KubectlWaitAndErrorsTest {
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

    /** Another client (an operator) moves the status while the step waits. */
    private int completeRestoreLater(long millis) throws Exception {
        Thread.sleep(millis);
        HttpRequest request = HttpRequest.newBuilder(URI.create(world.server.url()
                        + "/apis/apic.ibm.com/v1beta1/namespaces/apiconnect/cassandraclusters/apiconnect-cc/status"))
                .header("Content-Type", "application/merge-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":{\"ClusterRestoreStatus\":\"completed\"}}"))
                .build();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        }
    }

    @Test
    void anUntilOnAGetSeesAChangeAtOnceRatherThanAtTheNextInterval() throws Exception {
        CompletableFuture<Integer> change = CompletableFuture.supplyAsync(() -> {
            try {
                return completeRestoreLater(1500);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long start = System.nanoTime();
        Cli.Result r = world.run("wait", """
                - id: restored
                  kubectl: {get: cc, name: apiconnect-cc}
                  until: "${{ result.status.ClusterRestoreStatus == 'completed' }}"
                  interval: 30s
                  timeout: 40s
                """);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertThat(change.get()).isEqualTo(200);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(seconds).as("the watch woke the wait long before the 30s interval").isLessThan(15);
    }

    @Test
    void anUntilThatNeverHoldsSaysWhatItLastSaw() {
        Cli.Result r = world.run("never", """
                - id: restored
                  kubectl: {get: cc, name: apiconnect-cc}
                  until: "${{ result.status.ClusterRestoreStatus == 'completed' }}"
                  interval: 200ms
                  timeout: 1s
                """);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("did not hold within 1s").contains("last: false").contains("ready");
    }

    @Test
    void anUnreachableServerIsOneLine() throws Exception {
        Path dead = dir.resolve("dead-kubeconfig");
        Files.writeString(dead, Files.readString(world.kubeconfig).replace(world.server.url(), "http://127.0.0.1:1"));
        Path rb = world.write("dead", """
                apiVersion: runbook/v1
                name: dead
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s"}}
                steps:
                  - id: pods
                    kubectl: {get: pods}
                """.formatted(dead));
        Cli.Result r = world.runFile(rb);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("127.0.0.1:1").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void notFoundConflictUnknownTypeAndAPodThatIsNotRunning() {
        Cli.Result missing = world.run("missing", """
                - id: cc
                  kubectl: {get: cc, name: no-such-cluster}
                """);
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.all()).contains("no-such-cluster").contains("not found");

        Cli.Result conflict = world.run("conflict", """
                - id: stale
                  kubectl: {patch: cc, name: apiconnect-cc, merge: {metadata: {resourceVersion: "1"}, spec: {replicas: 4}}}
                """);
        assertThat(conflict.code()).as(conflict.all()).isEqualTo(1);
        assertThat(conflict.all()).containsIgnoringCase("conflict").contains("apiconnect-cc");

        Cli.Result typo = world.run("typo", """
                - id: pods
                  kubectl: {get: pdos}
                """);
        assertThat(typo.code()).isEqualTo(1);
        assertThat(typo.all()).contains("pdos").contains("did you mean").contains("pods");

        Cli.Result pending = world.run("pending", """
                - id: sh
                  kubectl: {exec: {pod: apiconnect-cc-2, command: [ls]}}
                """);
        assertThat(pending.code()).isEqualTo(1);
        assertThat(pending.all()).contains("apiconnect-cc-2").contains("Pending, not Running");

        for (Cli.Result r : new Cli.Result[] {missing, conflict, typo, pending}) {
            assertThat(r.all()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }
}
