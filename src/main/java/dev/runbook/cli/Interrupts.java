package dev.runbook.cli;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an orderly stop of a run (SPEC section 7): the
 * running action and its process trees are stopped, the step is recorded {@code interrupted},
 * the run ends with exit 130 and its journal says so. A second signal, or a run still going
 * {@value #GRACE_MILLIS} ms after the first, ends the process at once (exit 130): the journal
 * then shows the step started and never finished, which reads as {@code interrupted}.
 *
 * <p>Uses the JDK's signal API ({@code sun.misc.Signal}, module jdk.unsupported), looked up at
 * run time so that the build needs no internal API; the handlers are made with
 * {@link LambdaMetafactory}, several times cheaper at start-up than a reflective proxy. A
 * signal ignored when the process started (under {@code nohup}, a background job of a
 * non-interactive shell) stays ignored, as the JVM itself keeps it. Where the API is missing,
 * the JVM's default handling (shutdown) stays.
 */
final class Interrupts implements AutoCloseable {
    /** After a signal, a run that has not ended within this time is ended at once. */
    static final long GRACE_MILLIS = 15_000;
    static final int EXIT_CODE = 130;

    /**
     * The run being executed, or {@code runbook test}'s whole suite: one per process. Runs that
     * share a process (the scenarios of runbook test) install none; they are stopped through
     * their {@code Cancellation}.
     */
    private static volatile Interrupts current;

    private final Runnable onInterrupt;
    private final Consumer<String> notice;
    private final IntConsumer halter;
    private final long graceMillis;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Object[]> previous = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();
    private volatile String signal;

    Interrupts(Runnable onInterrupt, Consumer<String> notice, IntConsumer halter, long graceMillis) {
        this.onInterrupt = onInterrupt;
        this.notice = notice;
        this.halter = halter;
        this.graceMillis = graceMillis;
    }

    /**
     * Handles SIGINT and SIGTERM until closed: {@code onInterrupt} (the engine's interrupt) is
     * called on a thread of its own, {@code notice} gets a line for the operator.
     */
    static Interrupts install(Runnable onInterrupt, Consumer<String> notice) {
        return install(onInterrupt, notice, code -> Runtime.getRuntime().halt(code));
    }

    /** As {@link #install(Runnable, Consumer)}, ending the process with {@code halter} when stopping does not end it. */
    static Interrupts install(Runnable onInterrupt, Consumer<String> notice, IntConsumer halter) {
        Interrupts it = new Interrupts(onInterrupt, notice, halter, GRACE_MILLIS);
        current = it;
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerType);
            Object ignore = handlerType.getField("SIG_IGN").get(null);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle impl = lookup.findStatic(Interrupts.class, "onSignal",
                    MethodType.methodType(void.class, String.class, Object.class));
            MethodType sam = MethodType.methodType(void.class, signalClass);
            MethodHandle factory = LambdaMetafactory.metafactory(lookup, "handle",
                    MethodType.methodType(handlerType, String.class), sam, impl, sam).getTarget();
            for (String name : new String[] {"INT", "TERM"}) {
                Object sig = signalClass.getConstructor(String.class).newInstance(name);
                Object prev = handle.invoke(null, sig, factory.invoke(name));
                if (prev == ignore) {
                    // Ignored when this process started: the JVM keeps it ignored, and so do we.
                    continue;
                }
                it.previous.add(new Object[] {handle, sig, prev});
                it.handled.add(name);
            }
        } catch (Throwable e) {
            // No signal API: Ctrl-C ends the JVM the default way.
        }
        return it;
    }

    /** Called on the JVM's signal thread. */
    private static void onSignal(String name, Object signal) {
        Interrupts it = current;
        if (it != null) {
            it.deliver(name);
        }
    }

    /** The signals handled: INT and TERM, less any that the process inherited as ignored. */
    List<String> handledSignals() {
        return List.copyOf(handled);
    }

    /** "INT" or "TERM" once a signal came, else null. */
    String signal() {
        return signal;
    }

    /** A signal arrived: stop the run, and make sure the process ends within the grace. */
    void deliver(String name) {
        synchronized (this) {
            if (signal != null) {
                notice.accept("second SIG" + name + ": stopping now; the running step reads as interrupted");
                halter.accept(EXIT_CODE);
                return;
            }
            signal = name;
        }
        notice.accept("SIG" + name + " received: stopping the running step (send it again to stop at once)");
        // Not on the signal thread: stopping a process tree takes a moment, and a second
        // signal must still get through meanwhile.
        Thread stopper = new Thread(onInterrupt, "runbook-interrupt");
        stopper.setDaemon(true);
        stopper.start();
        // If stopping hangs (a process in uninterruptible sleep, a listener stuck on a dead
        // disk), the operator still gets the terminal back.
        Thread watchdog = new Thread(() -> {
            try {
                if (!closed.await(graceMillis, TimeUnit.MILLISECONDS)) {
                    notice.accept("the run did not stop within "
                            + dev.runbook.lang.Durations.format(java.time.Duration.ofMillis(graceMillis)) + " of SIG" + name
                            + ": stopping now; the running step reads as interrupted");
                    halter.accept(EXIT_CODE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runbook-interrupt-grace");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The run is over: restores the previous handlers and calls off the watchdog. */
    @Override
    public void close() {
        closed.countDown();
        if (current == this) {
            current = null;
        }
        for (Object[] p : previous) {
            try {
                ((Method) p[0]).invoke(null, p[1], p[2]);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // restoring the previous handler is best effort
            }
        }
        previous.clear();
    }
}
