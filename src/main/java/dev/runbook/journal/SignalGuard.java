package dev.runbook.journal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: the running action is stopped, the step is
 * recorded {@code interrupted}, and the process exits 130 (SPEC section 7).
 *
 * <p>How the engine uses it:
 * <pre>{@code
 * try (SignalGuard signals = SignalGuard.install()) {
 *     for (Step step : steps) {
 *         signals.checkpoint();                 // throws RunInterruptedException after a signal
 *         listener.stepStarted(step, attempt);  // on disk before the action starts
 *         StepResult result = signals.during(sig -> action.stop(), action::run); // returns soon after stop()
 *         if (signals.interrupted()) {
 *             result = ...state INTERRUPTED...;
 *         }
 *         listener.stepFinished(step, result);
 *     }
 * } // on RunInterruptedException: runFinished(info, new RunOutcome("interrupted", 130, ...)), exit 130
 * }</pre>
 *
 * <p>An {@link Interruptible} must make the running action return promptly: destroy its
 * process and that process's descendants ({@code ProcessHandle.descendants()}), close a
 * kubernetes watch or an ssh channel, interrupt the thread that waits for a prompt's answer.
 * It is called on the signal's own thread, once per registration, at once if the signal came
 * before the registration. The journal's writes survive thread interrupts.
 *
 * <p>If the run has not stopped {@code grace} after the signal, or a second signal comes, the
 * process halts with 130 at once. The journal stays readable: a step started and never
 * finished reads as {@code interrupted}.
 *
 * <p>Signals are taken with {@code sun.misc.Signal} (module jdk.unsupported), through
 * reflection so that the build stays free of warnings; where it is missing a shutdown hook
 * does the same work, within the same grace.
 */
public final class SignalGuard implements AutoCloseable {
    public static final int EXIT_CODE = 130;
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(15);
    private static final List<String> SIGNALS = List.of("INT", "TERM");

    /** Stops a running action when the run is interrupted. */
    @FunctionalInterface
    public interface Interruptible {
        /** @param signal "INT" or "TERM" (or "shutdown" when only a shutdown hook was available) */
        void interrupt(String signal);
    }

    /** Thrown by {@link #checkpoint()} once a signal has come. */
    public static final class RunInterruptedException extends RuntimeException {
        private final String signal;

        public RunInterruptedException(String signal) {
            super("interrupted by SIG" + signal);
            this.signal = signal;
        }

        public String signal() {
            return signal;
        }
    }

    /** An action registered as running; closing it unregisters it. */
    public final class Registration implements AutoCloseable {
        private final Interruptible action;

        private Registration(Interruptible action) {
            this.action = action;
        }

        @Override
        public void close() {
            running.remove(action);
        }
    }

    private final List<Interruptible> running = new CopyOnWriteArrayList<>();
    private final Duration grace;
    private final Consumer<String> notice;
    private final Halter halter;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<Object, Object> previousHandlers = new LinkedHashMap<>();
    private final List<String> handled = new CopyOnWriteArrayList<>();
    private volatile String signal;
    private Thread hook;

    /** How the process ends when it will not stop by itself; a test replaces it. */
    interface Halter {
        void halt(int code);
    }

    SignalGuard(Duration grace, Consumer<String> notice, Halter halter) {
        this.grace = grace;
        this.notice = notice;
        this.halter = halter;
    }

    /** Installs SIGINT and SIGTERM handling for a run, with notices on stderr. */
    public static SignalGuard install() {
        return install(DEFAULT_GRACE, m -> System.err.println("runbook: " + m));
    }

    public static SignalGuard install(Duration grace, Consumer<String> notice) {
        SignalGuard g = new SignalGuard(grace, notice, code -> Runtime.getRuntime().halt(code));
        if (!g.installSignalHandlers()) {
            g.installShutdownHook();
        }
        return g;
    }

    /**
     * The signals this guard handles: INT and TERM, less any that the process inherited as
     * ignored; empty when only the shutdown hook could be installed.
     */
    public List<String> handledSignals() {
        return List.copyOf(handled);
    }

    public boolean interrupted() {
        return signal != null;
    }

    /** "INT" or "TERM" once interrupted, else null. */
    public String signal() {
        return signal;
    }

    /** Throws {@link RunInterruptedException} once a signal has come: call it before each step. */
    public void checkpoint() {
        String s = signal;
        if (s != null) {
            throw new RunInterruptedException(s);
        }
    }

    /** An action that returns a value and may throw. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs {@code action} with {@code stopper} registered: the usual way to run a step's action.
     * After a signal the action should return soon (its stopper ran); check {@link #interrupted()}.
     */
    public <T, E extends Exception> T during(Interruptible stopper, Action<T, E> action) throws E {
        Registration r = whileRunning(stopper);
        try {
            return action.run();
        } finally {
            r.close();
        }
    }

    /** Registers the running action's stopper until the registration is closed. */
    public Registration whileRunning(Interruptible action) {
        running.add(action);
        String s = signal;
        if (s != null && running.remove(action)) {
            stop(action, s);
        }
        return new Registration(action);
    }

    /** A signal arrived: stop what runs, and make sure the process ends within the grace. */
    void deliver(String name) {
        synchronized (this) {
            if (signal != null) {
                notice.accept("second SIG" + name + ": stopping now; the running step reads as interrupted");
                halter.halt(EXIT_CODE);
                return;
            }
            signal = name;
        }
        notice.accept("SIG" + name + " received: stopping the running step (send it again to stop at once)");
        for (Interruptible a : running) {
            if (running.remove(a)) {
                stop(a, name);
            }
        }
        Thread watchdog = new Thread(() -> {
            try {
                if (!closed.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    notice.accept("the run did not stop within " + Times.duration(grace.toMillis())
                            + " of SIG" + name + ": stopping now; the running step reads as interrupted");
                    halter.halt(EXIT_CODE);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "runbook-signal-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private void stop(Interruptible a, String name) {
        try {
            a.interrupt(name);
        } catch (RuntimeException e) {
            notice.accept("could not stop the running action: " + e.getMessage());
        }
    }

    /** The run is over: restores the previous handlers and calls off the watchdog. */
    @Override
    public void close() {
        closed.countDown();
        restoreHandlers();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook sees that the run is closed and returns.
            }
        }
    }

    private void restoreHandlers() {
        for (Map.Entry<Object, Object> e : previousHandlers.entrySet()) {
            try {
                handleMethod().invoke(null, e.getKey(), e.getValue());
            } catch (ReflectiveOperationException | RuntimeException ex) {
                // The process is ending anyway.
            }
        }
        previousHandlers.clear();
        handled.clear();
    }

    private boolean installSignalHandlers() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Constructor<?> make = signalClass.getConstructor(String.class);
            Method handle = handleMethod();
            Object ignore = handlerType.getField("SIG_IGN").get(null);
            for (String name : SIGNALS) {
                InvocationHandler ih = (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "handle":
                            deliver(name);
                            return null;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return "runbook SIG" + name + " handler";
                    }
                };
                Object handler = Proxy.newProxyInstance(SignalGuard.class.getClassLoader(), new Class<?>[] {handlerType}, ih);
                Object sig = make.newInstance(name);
                Object previous = handle.invoke(null, sig, handler);
                if (previous == ignore) {
                    // Ignored when this process started (nohup, a background job): the JVM
                    // leaves it ignored, and so do we.
                    continue;
                }
                previousHandlers.put(sig, previous);
                handled.add(name);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            restoreHandlers();
            return false;
        }
    }

    private static Method handleMethod() throws ReflectiveOperationException {
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        return signalClass.getMethod("handle", signalClass, Class.forName("sun.misc.SignalHandler"));
    }

    private void installShutdownHook() {
        hook = new Thread(() -> {
            if (closed.getCount() == 0) {
                return;
            }
            // The JVM is exiting (signal or not): stop the action, let the engine record the
            // step within the grace, then end with the exit code of an interrupted run.
            deliver("shutdown");
            try {
                closed.await(grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            halter.halt(EXIT_CODE);
        }, "runbook-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
