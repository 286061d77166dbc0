package dev.runbook.engine;

/** One rendered action, ready to run or to be described. */
public interface Invocation {
    /**
     * Exactly what would run, as plain data (argv, script, env, content...): recorded for
     * would-run steps in a dry run and shown by the console. May hold secrets; the engine
     * redacts it before it leaves.
     */
    Object describe();

    /** Runs the action and returns its {@code result} (a map for expressions to read). */
    Object run(ActionContext ctx) throws ActionException, InterruptedException;
}
