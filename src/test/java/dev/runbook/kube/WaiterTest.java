package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.kube.KubeException.Reason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaiterTest {
    private MockCluster cluster;
    private KubeConnection connection;
    private KubeVerbs kube;
    private Waiter waiter;

    @BeforeEach
    void start() {
        cluster = new MockCluster();
        connection = cluster.connect(null);
        kube = new KubeVerbs(connection);
        waiter = new Waiter(kube);
    }

    @AfterEach
    void stop() {
        connection.close();
        cluster.close();
    }

    @Test
    void aWatchedChangeIsSeenLongBeforeThePollInterval() throws Exception {
        try (WatchingServer watching = new WatchingServer();
                KubeConnection c = KubeClients.open(MockCluster.kubeconfig(watching.url()), null, null, null)) {
            List<Object> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Object> done = CompletableFuture.supplyAsync(() -> new Waiter(new KubeVerbs(c)).await(
                    new Waiter.Query("cm", "flag", null, null, null), v -> "completed".equals(KubeValues.at(v, "data.restore")),
                    Duration.ofMinutes(5), Duration.ofMinutes(5), seen::add));
            assertThat(watching.watchOpened.await(30, TimeUnit.SECONDS)).as("watch opened").isTrue();
            assertThat(done).isNotDone();

            long changedAt = System.nanoTime();
            watching.change("completed");

            Object value = done.get(30, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt)).as("reaction time, ms").isLessThan(3_000);
            assertThat(KubeValues.at(value, "data.restore")).isEqualTo("completed");
            assertThat(watching.watchQuery).contains("watch=true").contains("fieldSelector=metadata.name%3Dflag");
        }
    }

    @Test
    void timeoutSaysWhatTheLastValueWas() {
        kube.apply(cassandra("mgmt-cc", "running"), null);

        assertThatThrownBy(() -> waiter.await(new Waiter.Query("cc", "mgmt-cc", null, null, null),
                v -> "completed".equals(KubeValues.at(v, "status.restore")), Duration.ofMillis(200), Duration.ofMillis(700), null))
                .isInstanceOf(KubeException.class)
                .hasMessageStartingWith("timed out after 700ms waiting for cc mgmt-cc; last value: {")
                .hasMessageContaining("\"restore\":\"running\"")
                .satisfies(e -> assertThat(((KubeException) e).reason()).isEqualTo(Reason.TIMEOUT));
    }

    @Test
    void aMissingObjectReadsAsNullUntilItAppears() {
        Object value = waiter.await(new Waiter.Query("configmaps", "later", null, null, null), v -> {
            if (v == null) {
                kube.apply(Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "later")), null);
                return false;
            }
            return true;
        }, Duration.ofMillis(100), Duration.ofSeconds(20), null);

        assertThat(KubeValues.at(value, "metadata.name")).isEqualTo("later");
    }

    @Test
    void closingTheHandleStopsTheWait() throws Exception {
        kube.apply(cassandra("mgmt-cc", "running"), null);
        Waiter.Wait wait = waiter.start(new Waiter.Query("cc", "mgmt-cc", null, null, null), v -> false,
                Duration.ofMinutes(1), Duration.ofMinutes(10), null);
        CompletableFuture<Object> done = CompletableFuture.supplyAsync(wait::await);
        Thread.sleep(500);

        wait.close();

        assertThatThrownBy(() -> done.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KubeException.class)
                .cause().hasMessage("stopped waiting for cc mgmt-cc");
    }

    private static Map<String, Object> cassandra(String name, String restore) {
        return Map.of("apiVersion", "apic.ibm.com/v1beta1", "kind", "CassandraCluster", "metadata", Map.of("name", name),
                "spec", Map.of("replicas", 3), "status", Map.of("restore", restore));
    }
}
