package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Waits until a condition over an object (or a list) holds — a step's {@code until}. The value
 * is read as {@link KubeVerbs#get} reads it, every {@code interval}, and also at once whenever a
 * watch reports a change, so a change is seen within a round trip where the server allows
 * watching. A missing named object reads as null (waiting for it to appear is allowed); a server
 * that cannot be reached for a while is waited out; refusals (403, unknown type) end the wait.
 */
public final class Waiter {
    /** How long the server keeps one watch open before it is opened again. */
    private static final int WATCH_SECONDS = 300;

    private final KubeVerbs verbs;

    public Waiter(KubeVerbs verbs) {
        this.verbs = verbs;
    }

    /** What is read on each attempt: the arguments of {@link KubeVerbs#get}. */
    public record Query(String resource, String name, String namespace, String labelSelector, String fieldSelector) {
    }

    /** Starts a wait; {@link Wait#await()} blocks, {@link Wait#close()} from another thread stops it. */
    public Wait start(Query query, Predicate<Object> condition, Duration interval, Duration timeout, Consumer<Object> onValue) {
        return new Wait(query, condition, interval, timeout, onValue == null ? v -> { } : onValue);
    }

    /** {@link #start} and {@link Wait#await()} in one: the value that satisfied the condition. */
    public Object await(Query query, Predicate<Object> condition, Duration interval, Duration timeout, Consumer<Object> onValue) {
        try (Wait wait = start(query, condition, interval, timeout, onValue)) {
            return wait.await();
        }
    }

    /** One wait in progress. Closing it (or interrupting the waiting thread) stops it. */
    public final class Wait implements Closeable {
        private final Query query;
        private final Predicate<Object> condition;
        private final Duration interval;
        private final Duration timeout;
        private final Consumer<Object> onValue;
        /** Released by watch events and by close: wakes the loop before the interval is over. */
        private final Semaphore wake = new Semaphore(0);
        private volatile boolean closed;
        private volatile Closeable watch;

        private Wait(Query query, Predicate<Object> condition, Duration interval, Duration timeout, Consumer<Object> onValue) {
            this.query = query;
            this.condition = condition;
            this.interval = interval.isZero() || interval.isNegative() ? Duration.ofSeconds(1) : interval;
            this.timeout = timeout;
            this.onValue = onValue;
        }

        /** Blocks until the condition holds; the value that satisfied it. */
        public Object await() {
            long deadline = System.nanoTime() + timeout.toNanos();
            Object last = null;
            boolean watchStarted = false;
            KubeException lastFailure = null;
            while (true) {
                if (closed) {
                    throw new KubeException(Reason.INTERRUPTED, "stopped waiting for " + what());
                }
                boolean read = false;
                try {
                    last = read();
                    read = true;
                    lastFailure = null;
                } catch (KubeException e) {
                    if (!e.transientFailure()) {
                        throw e;
                    }
                    lastFailure = e;
                }
                if (read) {
                    onValue.accept(last);
                    if (condition.test(last)) {
                        return last;
                    }
                }
                if (!watchStarted) {
                    watchStarted = true;
                    try {
                        startWatch();
                    } catch (KubeException e) {
                        // no watch: polling at the interval still works
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new KubeException(Reason.TIMEOUT, "timed out after " + Durations.format(timeout) + " waiting for " + what()
                            + (lastFailure != null ? "; last error: " + lastFailure.getMessage() : "; last value: " + summary(last)));
                }
                try {
                    if (sleep(Math.min(remaining, interval.toNanos()))) {
                        wake.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KubeException(Reason.INTERRUPTED, "interrupted while waiting for " + what());
                }
            }
        }

        /**
         * Sleeps until woken or {@code nanos} pass. A managed block: fabric8's HTTP client
         * completes its futures on the common fork-join pool, so a wait running on that pool
         * must let it add a thread, or the watch events that would wake it are never delivered.
         */
        private boolean sleep(long nanos) throws InterruptedException {
            long until = System.nanoTime() + nanos;
            boolean[] woken = {false};
            ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                @Override
                public boolean block() throws InterruptedException {
                    woken[0] = wake.tryAcquire(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                }

                @Override
                public boolean isReleasable() {
                    return woken[0] || (woken[0] = wake.tryAcquire());
                }
            });
            return woken[0];
        }

        private Object read() {
            try {
                return verbs.get(query.resource(), query.name(), query.namespace(), query.labelSelector(), query.fieldSelector());
            } catch (KubeException e) {
                if (e.reason() == Reason.NOT_FOUND && query.name() != null) {
                    return null;
                }
                throw e;
            }
        }

        /**
         * A watch ({@code ?watch=true}, a chunked HTTP stream) on what is read: every event wakes
         * the loop for an immediate read. It is opened again when the server ends it (watches
         * time out), unless it ended at once — a server that cannot watch this — in which case
         * polling at the interval goes on alone.
         */
        private void startWatch() {
            if (closed) {
                return;
            }
            KubeConnection connection = verbs.connection();
            ApiResource type = connection.apiResources().resolve(query.resource());
            String ns = connection.namespaceOr(query.namespace());
            String fields = query.name() != null ? "metadata.name=" + query.name() : query.fieldSelector();
            String path = type.collectionPath(ns) + new KubeVerbs.Query().add("watch", "true")
                    .add("labelSelector", query.labelSelector()).add("fieldSelector", fields)
                    .add("timeoutSeconds", String.valueOf(WATCH_SECONDS));
            long openedAt = System.nanoTime();
            watch = connection.stream(path, wake::release, () -> {
                wake.release();
                if (!closed && System.nanoTime() - openedAt > TimeUnit.SECONDS.toNanos(2)) {
                    startWatch();
                }
            });
            if (closed) {
                closeQuietly(watch);
            }
        }

        private String what() {
            StringBuilder sb = new StringBuilder(query.resource());
            if (query.name() != null) {
                sb.append(' ').append(query.name());
            }
            if (query.labelSelector() != null && !query.labelSelector().isBlank()) {
                sb.append(" with labels ").append(query.labelSelector());
            }
            return sb.toString();
        }

        @Override
        public void close() {
            closed = true;
            wake.release();
            closeQuietly(watch);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (java.io.IOException | RuntimeException ignored) {
                // a watch that cannot be closed cleanly is closed anyway
            }
        }
    }

    /** The last value in one short line, Secret values left out. */
    static String summary(Object value) {
        if (value == null) {
            return "none (not found)";
        }
        if (!SecretValues.of(value).isEmpty()) {
            return "(holds a Secret, not shown)";
        }
        Object shown = value;
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = KubeValues.map(KubeValues.plain(m));
            DryRun.NOISE.forEach(p -> KubeValues.remove(copy, p));
            shown = copy;
        }
        return KubeValues.abbreviate(KubeValues.toJson(shown), 400);
    }

    /** Durations as a runbook writes them: 500ms, 30s, 10m, 1h30m. */
    static final class Durations {
        private Durations() {
        }

        static String format(Duration d) {
            long ms = d.toMillis();
            if (ms < 1000 || ms % 1000 != 0) {
                return ms + "ms";
            }
            long s = ms / 1000;
            StringBuilder sb = new StringBuilder();
            if (s >= 3600) {
                sb.append(s / 3600).append('h');
                s %= 3600;
            }
            if (s >= 60) {
                sb.append(s / 60).append('m');
                s %= 60;
            }
            if (s > 0 || sb.isEmpty()) {
                sb.append(s).append('s');
            }
            return sb.toString();
        }
    }
}
