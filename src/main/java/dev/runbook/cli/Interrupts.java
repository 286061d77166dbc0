package dev.runbook.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into an orderly stop: the running action and its
 * processes are stopped, the step is recorded interrupted, the summary is printed, exit 130.
 * A second signal ends the process at once. Uses the JDK's signal API ({@code sun.misc.Signal},
 * module jdk.unsupported) through reflection; where it is missing, the JVM's default handling
 * (shutdown) stays.
 */
final class Interrupts implements AutoCloseable {
    private final List<Object[]> previous = new ArrayList<>();

    private Interrupts() {
    }

    static Interrupts install(Runnable onInterrupt) {
        Interrupts it = new Interrupts();
        AtomicInteger count = new AtomicInteger();
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Method handle = signal.getMethod("handle", signal, handlerType);
            InvocationHandler h = (proxy, m, args) -> {
                switch (m.getName()) {
                    case "handle" -> {
                        if (count.incrementAndGet() > 1) {
                            Runtime.getRuntime().halt(130);
                        }
                        Thread t = new Thread(onInterrupt, "runbook-interrupt");
                        t.setDaemon(true);
                        t.start();
                        return null;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(proxy);
                    }
                    case "equals" -> {
                        return proxy == args[0];
                    }
                    case "toString" -> {
                        return "runbook interrupt handler";
                    }
                    default -> {
                        return null;
                    }
                }
            };
            Object handler = Proxy.newProxyInstance(Interrupts.class.getClassLoader(), new Class<?>[] {handlerType}, h);
            for (String name : new String[] {"INT", "TERM"}) {
                Object sig = signal.getConstructor(String.class).newInstance(name);
                Object prev = handle.invoke(null, sig, handler);
                it.previous.add(new Object[] {handle, sig, prev});
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // No signal API: Ctrl-C ends the JVM the default way.
        }
        return it;
    }

    @Override
    public void close() {
        for (Object[] p : previous) {
            try {
                ((Method) p[0]).invoke(null, p[1], p[2]);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // restoring the previous handler is best effort
            }
        }
    }
}
