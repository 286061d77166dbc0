package dev.runbook.engine;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Renderer;
import dev.runbook.expr.ShellScript;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.proc.OutputListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * What one execution of an action (one attempt, one forEach element) can see and use: the
 * values its templates read, its deadline, where its output goes, and the run's services.
 */
public final class ActionContext {
    private final RunContext run;
    private final Step step;
    private final Map<String, Object> scope;
    private final boolean preview;
    private final Instant deadline;
    private final Duration timeout;
    private final OutputListener output;
    private volatile Answer answer;

    ActionContext(RunContext run, Step step, Map<String, Object> scope, boolean preview, Instant deadline,
                  Duration timeout, OutputListener output) {
        this.run = run;
        this.step = step;
        this.scope = scope;
        this.preview = preview;
        this.deadline = deadline;
        this.timeout = timeout;
        this.output = output;
    }

    public RunContext run() {
        return run;
    }

    public RunOptions options() {
        return run.options();
    }

    public boolean dryRun() {
        return run.options().dryRun();
    }

    public Step step() {
        return step;
    }

    /** Names the action's templates read: params, vars, run, env, steps, and item/index in a forEach. */
    public Map<String, Object> scope() {
        return scope;
    }

    /**
     * True when the action is only being described with values that are not all known (a dry
     * run past a step that did not really run): templates that cannot be evaluated render as
     * {@code ${{ ... }}}.
     */
    public boolean preview() {
        return preview;
    }

    /** Renders a template-bearing value; {@code field} names it in an error. Null stays null. */
    public Object render(YNode n, String field) throws ActionException {
        if (n == null) {
            return null;
        }
        if (preview) {
            return Renderer.preview(n, scope, run.expressions());
        }
        try {
            return Renderer.render(n, scope, run.expressions());
        } catch (EvalException e) {
            throw new ActionException("cannot compute " + field + ": " + e.getMessage(), e);
        }
    }

    /**
     * A field's value for the read/mutating classification ({@link dev.runbook.lang.Effect#of}):
     * rendered, or null where it is not known (in preview) or cannot be computed.
     */
    public Object valueOrNull(YNode n) {
        if (n == null) {
            return null;
        }
        if (preview) {
            return dev.runbook.lang.Effect.knownOnly(Renderer.preview(n, scope, run.expressions()));
        }
        try {
            return Renderer.render(n, scope, run.expressions());
        } catch (EvalException e) {
            return null;
        }
    }

    /** Renders a value that must be text (a path, a directory); numbers and booleans are formatted. */
    public String string(YNode n, String field) throws ActionException {
        Object v = render(n, field);
        if (v == null) {
            return null;
        }
        if (v instanceof Map || v instanceof java.util.List) {
            throw new ActionException(field + " must be a string, not " + (v instanceof Map ? "a map" : "a list"));
        }
        return Renderer.format(v);
    }

    /** Renders a bash script: every value becomes one single-quoted word. */
    public String script(YScalar s) throws ActionException {
        if (preview) {
            return ShellScript.preview(s, scope, run.expressions());
        }
        try {
            return ShellScript.render(s, scope, run.expressions());
        } catch (EvalException e) {
            throw new ActionException("cannot compute script: " + e.getMessage(), e);
        }
    }

    /** The step's timeout as written (or from defaults), or null: for messages. */
    public Duration timeout() {
        return timeout;
    }

    /** Time left before the step's timeout, or null when it has none. */
    public Duration remaining() {
        if (deadline == null) {
            return null;
        }
        Duration d = Duration.between(Instant.now(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Where live output lines go (the engine redacts and forwards them to the listeners). */
    public OutputListener output() {
        return output;
    }

    /** A prompt records who answered it and how. */
    public void answered(Answer a) {
        this.answer = a;
    }

    Answer answer() {
        return answer;
    }

    /**
     * A local path as a step gave it (a file to write or read, sftp's local side, a manifest
     * file), resolved against the run's working directory ({@link RunOptions#workDir}). Handlers
     * act on this and show the path as written.
     */
    public Path localPath(String path) {
        return run.options().local(path);
    }

    /** Registers a secret found while running (a secret answer): it is redacted from now on. */
    public void secret(Object value) {
        run.redactor().add(value);
    }
}
