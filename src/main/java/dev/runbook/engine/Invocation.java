package dev.runbook.engine;

/** One rendered action, ready to run or to be described. */
public interface Invocation {
    /**
     * Exactly what would run, as plain data (argv, script, env, content...): recorded for
     * would-run steps in a dry run and shown by the console. May hold secrets; the engine
     * redacts it before it leaves.
     */
    Object describe();

    /**
     * A dry run's rehearsal of a mutating action: by default exactly what would run
     * ({@link #describe()}). An action whose target can check a change without making it (a
     * Kubernetes server-side dry run) asks it and returns its answer, or throws when the target
     * refuses, which fails the rehearsal as the real run would fail.
     */
    default Object rehearse(ActionContext ctx) throws ActionException, InterruptedException {
        return describe();
    }

    /**
     * Whether {@link #await} can wait for an {@code until} itself: an action that can be told of
     * changes (a Kubernetes watch) reacts to them at once instead of at the next interval.
     */
    default boolean awaitable() {
        return false;
    }

    /**
     * Runs the action until {@code holds} accepts its result, and returns that result; reads at
     * least every {@code interval}, fails with {@link ActionException.Kind#TIMED_OUT} once
     * {@code timeout} (null: none) has passed. {@code onValue} sees every value read. Called only
     * when {@link #awaitable()}.
     */
    default Object await(ActionContext ctx, java.util.function.Predicate<Object> holds, java.time.Duration interval,
                         java.time.Duration timeout, java.util.function.Consumer<Object> onValue)
            throws ActionException, InterruptedException {
        throw new UnsupportedOperationException("this action cannot wait by itself");
    }

    /** Runs the action and returns its {@code result} (a map for expressions to read). */
    Object run(ActionContext ctx) throws ActionException, InterruptedException;
}
