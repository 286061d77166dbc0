package dev.runbook.engine;

import java.util.List;

/** One rendered action, ready to run or to be described. */
public interface Invocation {
    /**
     * Exactly what would run, as plain data (argv, script, env, content...): recorded for
     * would-run steps in a dry run and shown by the console. May hold secrets; the engine
     * redacts it before it leaves.
     */
    Object describe();

    /**
     * The rendered apicup arguments, for the read/mutating classification of
     * {@link dev.runbook.lang.Effect#of}; null for other actions.
     */
    default List<String> classifierArgs() {
        return null;
    }

    /** Runs the action and returns its {@code result} (a map for expressions to read). */
    Object run(ActionContext ctx) throws ActionException, InterruptedException;
}
