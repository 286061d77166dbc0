package dev.runbook.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a run in a process that runs several (runbook test) is stopped from outside, where a
 * signal would stop them all: {@link #cancel} interrupts the run as Ctrl-C does
 * ({@link Engine#interrupt}: its processes, remote commands and sandbox execs are stopped, the
 * step is recorded interrupted). {@link #abandon} is the last resort for a run that does not end
 * after that: what it registered to close (its sandbox, whose controllers are processes) is
 * closed from outside, so that nothing it started outlives it.
 */
public final class Cancellation {
    private final Set<Runnable> onCancel = ConcurrentHashMap.newKeySet();
    private final List<AutoCloseable> onAbandon = new ArrayList<>();
    private volatile boolean cancelled;
    private boolean abandoned;

    /**
     * Calls {@code stop} when the run is cancelled, at once when it already is; close the
     * returned handle when the run is over.
     */
    public AutoCloseable onCancel(Runnable stop) {
        onCancel.add(stop);
        if (cancelled) {
            stop.run();
        }
        return () -> onCancel.remove(stop);
    }

    /** Stops the run: every registered stop is called; later registrations are called at once. */
    public void cancel() {
        cancelled = true;
        for (Runnable r : onCancel) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // stopping is best effort; the others still get their turn
            }
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    /**
     * Closes {@code resource} if the run is abandoned (at once when it already is); close the
     * returned handle when the run closed it itself.
     */
    public AutoCloseable onAbandon(AutoCloseable resource) {
        synchronized (onAbandon) {
            if (!abandoned) {
                onAbandon.add(resource);
                return () -> {
                    synchronized (onAbandon) {
                        onAbandon.remove(resource);
                    }
                };
            }
        }
        closeQuietly(resource);
        return () -> { };
    }

    /** The run did not end after {@link #cancel}: closes what it registered, last first. */
    public void abandon() {
        List<AutoCloseable> all;
        synchronized (onAbandon) {
            abandoned = true;
            all = new ArrayList<>(onAbandon);
            onAbandon.clear();
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            closeQuietly(all.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing from outside is best effort: the run's thread may be closing it too
        }
    }
}
