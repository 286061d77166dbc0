package dev.runbook.cli;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an orderly stop: the running action and its
 * processes are stopped, the step is recorded interrupted, the summary is printed, exit 130.
 * A second signal, or a run still going {@value #GRACE_MILLIS} ms after the first, ends the
 * process at once.
 *
 * <p>Uses the JDK's signal API ({@code sun.misc.Signal}, module jdk.unsupported), looked up at
 * run time so that the build needs no internal API; the handler is made with
 * {@link LambdaMetafactory}, several times cheaper at start-up than a reflective proxy. Where
 * the API is missing, the JVM's default handling (shutdown) stays.
 */
final class Interrupts implements AutoCloseable {
    /** After a signal, a run that has not ended within this time is ended at once. */
    static final long GRACE_MILLIS = 15_000;

    /** The action of the run being executed; one run at a time per process. */
    private static volatile Runnable current;
    private static final AtomicInteger SIGNALS = new AtomicInteger();

    private final List<Object[]> previous = new ArrayList<>();

    private Interrupts() {
    }

    static Interrupts install(Runnable onInterrupt) {
        Interrupts it = new Interrupts();
        current = onInterrupt;
        SIGNALS.set(0);
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle impl = lookup.findStatic(Interrupts.class, "onSignal", MethodType.methodType(void.class, Object.class));
            MethodType sam = MethodType.methodType(void.class, signal);
            Object handler = LambdaMetafactory.metafactory(lookup, "handle", MethodType.methodType(handlerType), sam, impl, sam)
                    .getTarget().invoke();
            for (String name : new String[] {"INT", "TERM"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                Object prev = handle.invoke(null, sig, handler);
                it.previous.add(new Object[] {handle, sig, prev});
            }
        } catch (Throwable e) {
            // No signal API: Ctrl-C ends the JVM the default way.
        }
        return it;
    }

    /** Called on the JVM's signal thread. */
    private static void onSignal(Object signal) {
        if (SIGNALS.incrementAndGet() > 1) {
            Runtime.getRuntime().halt(130);
        }
        Runnable r = current;
        if (r != null) {
            Thread t = new Thread(r, "runbook-interrupt");
            t.setDaemon(true);
            t.start();
            // If stopping hangs (a process that ignores SIGKILL in uninterruptible sleep, a
            // listener stuck on a dead disk), the operator still gets the terminal back.
            Thread guard = new Thread(() -> {
                try {
                    Thread.sleep(GRACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (current == r) {
                    Runtime.getRuntime().halt(130);
                }
            }, "runbook-interrupt-grace");
            guard.setDaemon(true);
            guard.start();
        }
    }

    @Override
    public void close() {
        current = null;
        for (Object[] p : previous) {
            try {
                ((Method) p[0]).invoke(null, p[1], p[2]);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // restoring the previous handler is best effort
            }
        }
    }
}
