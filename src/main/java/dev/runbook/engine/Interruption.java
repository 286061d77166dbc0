package dev.runbook.engine;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ctrl-C or SIGTERM during a run. It comes from another thread at any moment, so it reaches
 * everything that may be waiting: the run's actions and processes (the {@link RunContext}),
 * the pool of a {@code parallel} forEach, and the run's own thread (a sleep between attempts,
 * a question on the terminal).
 */
final class Interruption {
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Thread runThread;
    private volatile RunContext context;
    private volatile ExecutorService pool;

    /** The first call stops what is running; later calls change nothing. */
    void request() {
        if (requested.compareAndSet(false, true)) {
            RunContext c = context;
            if (c != null) {
                c.interrupt();
            }
            ExecutorService p = pool;
            if (p != null) {
                p.shutdownNow();
            }
            Thread t = runThread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    boolean requested() {
        return requested.get();
    }

    void runsOn(Thread t) {
        runThread = t;
    }

    void runEnded() {
        runThread = null;
    }

    /** The run's context exists: an interruption that came before it reaches it now. */
    void attach(RunContext c) {
        context = c;
        if (requested.get()) {
            c.interrupt();
        }
    }

    /** A parallel forEach's pool, shut down on interruption; null when it is done. */
    void pool(ExecutorService p) {
        pool = p;
    }

    /** Waits between attempts; false when the run was interrupted before or during the wait. */
    boolean sleep(Duration d) {
        if (requested.get()) {
            return false;
        }
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
            return !requested.get();
        } catch (InterruptedException e) {
            return false;
        }
    }
}
