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

    /** Runs the action and returns its {@code result} (a map for expressions to read). */
    Object run(ActionContext ctx) throws ActionException, InterruptedException;
}
