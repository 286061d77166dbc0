package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.Closeable;
import java.time.Duration;
import java.util.Map;
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
        private volatile Watch watch;

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
                    startWatchInBackground();
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new KubeException(Reason.TIMEOUT, "timed out after " + Durations.format(timeout) + " waiting for " + what()
                            + (lastFailure != null ? "; last error: " + lastFailure.getMessage() : "; last value: " + summary(last)));
                }
                try {
                    if (wake.tryAcquire(Math.min(remaining, interval.toNanos()), TimeUnit.NANOSECONDS)) {
                        wake.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KubeException(Reason.INTERRUPTED, "interrupted while waiting for " + what());
                }
            }
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
         * A watch on what is read, opened off the waiting thread (fabric8's watch client is built
         * on first use), so the first read never waits for it. Any failure leaves plain polling.
         */
        private void startWatchInBackground() {
            Thread t = new Thread(() -> {
                try {
                    Watch w = openWatch();
                    watch = w;
                    if (closed) {
                        // close() may have run before the watch was set: close it here then.
                        w.close();
                        return;
                    }
                    // What changed between the first read and the watch's start is read now.
                    wake.release();
                } catch (RuntimeException | LinkageError ignored) {
                    // No watch (not allowed, not supported): polling at the interval still works.
                }
            }, "runbook-kube-watch");
            t.setDaemon(true);
            t.start();
        }

        private Watch openWatch() {
            KubeConnection connection = verbs.connection();
            ApiResource type = connection.apiResources().resolve(query.resource());
            ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(type.group())
                    .withVersion(type.version()).withPlural(type.plural()).withKind(type.kind())
                    .withNamespaced(type.namespaced()).build();
            var all = connection.fabric8().genericKubernetesResources(context);
            Watcher<GenericKubernetesResource> watcher = new Watcher<>() {
                @Override
                public void eventReceived(Action action, GenericKubernetesResource resource) {
                    wake.release();
                }

                @Override
                public void onClose(WatcherException cause) {
                    wake.release();
                }
            };
            String ns = connection.namespaceOr(query.namespace());
            if (query.name() != null) {
                Resource<GenericKubernetesResource> one = type.namespaced() ? all.inNamespace(ns).withName(query.name())
                        : all.withName(query.name());
                return one.watch(watcher);
            }
            FilterWatchListDeletable<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> list =
                    type.namespaced() ? all.inNamespace(ns) : all;
            if (query.labelSelector() != null && !query.labelSelector().isBlank()) {
                list = list.withLabelSelector(query.labelSelector());
            }
            return list.watch(watcher);
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
            Watch w = watch;
            if (w != null) {
                w.close();
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
