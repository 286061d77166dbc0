package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The signal handling's own rules, with the process's end replaced by a list. What a real
 * SIGINT or SIGTERM does to a real run is in {@code ResumeProcessTest} and
 * {@code ProcessTreeTest}.
 */
class InterruptsTest {
    private static void await(List<?> l, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (l.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void theFirstSignalStopsTheRunOnceAndASecondEndsTheProcessAtOnce() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<Integer> halts = new CopyOnWriteArrayList<>();
        Interrupts it = new Interrupts(() -> log.add("engine interrupted"), log::add, halts::add, 30_000);
        it.deliver("INT");
        await(log, 2);
        assertThat(it.signal()).isEqualTo("INT");
        assertThat(log).containsExactlyInAnyOrder(
                "SIGINT received: stopping the running step (send it again to stop at once)", "engine interrupted");
        assertThat(halts).isEmpty();
        it.deliver("TERM");
        assertThat(halts).as("a second signal ends the process at once").containsExactly(130);
        assertThat(log).contains("second SIGTERM: stopping now; the running step reads as interrupted")
                .filteredOn("engine interrupted"::equals).hasSize(1);
        it.close();
    }

    @Test
    void aRunThatDoesNotStopWithinTheGraceIsEndedUnlessItClosesFirst() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<Integer> halts = new CopyOnWriteArrayList<>();
        Interrupts stuck = new Interrupts(() -> { }, log::add, halts::add, 100);
        stuck.deliver("TERM");
        await(halts, 1);
        assertThat(halts).containsExactly(130);
        assertThat(log).anyMatch(l -> l.startsWith("the run did not stop within"));

        List<Integer> none = new CopyOnWriteArrayList<>();
        Interrupts prompt = new Interrupts(() -> { }, m -> { }, none::add, 300);
        prompt.deliver("TERM");
        prompt.close();
        Thread.sleep(700);
        assertThat(none).as("a run that ended within the grace is not cut short").isEmpty();
    }
}
