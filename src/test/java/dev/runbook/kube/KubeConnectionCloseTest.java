package dev.runbook.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Closing a connection ends its HTTP clients' threads: a JDK client's selector thread left
 * blocked in native code delays the JVM's exit (it waits up to 300 ms for such threads) and
 * piles up in a long-lived process such as {@code runbook test}.
 */
class KubeConnectionCloseTest {
    private static Set<Thread> selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("SelectorManager") && t.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void closingAConnectionEndsItsHttpClientThreads() throws Exception {
        Set<Thread> before = selectorThreads();
        try (MockCluster cluster = new MockCluster()) {
            KubeConnection connection = cluster.connect(null);
            new KubeVerbs(connection).get("configmaps", null, null, null, null);
            connection.fabric8(); // exec's client: built on first use, closed with the connection
            Set<Thread> ours = selectorThreads();
            ours.removeAll(before);
            assertThat(ours).as("the connection's selector threads").isNotEmpty();

            connection.close();
            for (Thread t : ours) {
                t.join(10_000);
            }
            assertThat(ours).as("still running after close").noneMatch(Thread::isAlive);
        }
    }
}
