package dev.runbook.engine;

import dev.runbook.expr.Scope;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.StepSettings;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.Runbook;
import dev.runbook.proc.OutputListener;
import dev.runbook.proc.Who;
import dev.runbook.secrets.Redactor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a checked runbook: SPEC sections 2, 3, 4 and 6. Steps run one at a time, top to bottom
 * (a {@code parallel} forEach aside); each goes through its lifecycle: blocked, {@code when},
 * {@code unless}, then the action once or per forEach element, with {@code retries} or an
 * {@code until} loop under its {@code timeout}, then {@code capture}. Listeners hear of every
 * start and end, synchronously, before the next action starts.
 *
 * <p>This class is the public face: it checks what the command line asked for
 * ({@link RunChecks}), then builds the parts of one run and hands the walk to
 * {@link StepWalker}, which uses {@link ActionStep} and {@link Attempts} for actions,
 * {@link Recorder} to end steps, {@link RunState} for what happened so far, {@link DryRunBook}
 * for a dry run's unknowns and {@link RerunConfirmation} for resume's questions.
 *
 * <p>Resume and {@code --from} plug in through {@link #carryOver} (results from before: those
 * steps do not run again and their outputs are reused) and {@link #startAt} (steps before it
 * are skipped).
 */
public final class Engine {
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final CheckedRunbook checked;
    private final Runbook rb;
    private final Map<String, Object> params;
    private final RunOptions options;
    private final Listeners listeners;
    private final Redactor redactor;
    private final HandlerSource handlers;
    private final Interruption interruption = new Interruption();

    private Map<String, StepResult> carried = Map.of();
    private String from;
    private Set<String> alsoRun = Set.of();
    private Map<String, String> askFirst = Map.of();

    public Engine(CheckedRunbook checked, Map<String, Object> params, RunOptions options, List<RunListener> listeners) {
        this(checked, params, options, listeners, new Redactor());
    }

    /**
     * With the run's redactor made by the caller, so that a listener built before the engine
     * (the journal) masks the same secrets: the engine feeds it as secrets become known.
     */
    public Engine(CheckedRunbook checked, Map<String, Object> params, RunOptions options, List<RunListener> listeners,
                  Redactor redactor) {
        this(checked, params, options, listeners, redactor, HandlerSource.builtIn(checked.actions()));
    }

    /** With the handlers given: a test runs the engine with handlers of its own. */
    public Engine(CheckedRunbook checked, Map<String, Object> params, RunOptions options, List<RunListener> listeners,
                  Redactor redactor, HandlerSource handlers) {
        this.checked = checked;
        this.rb = checked.runbook();
        this.params = params;
        this.options = options;
        this.listeners = new Listeners(listeners);
        this.redactor = redactor;
        this.handlers = handlers;
    }

    /**
     * Results from an earlier attempt of this run (resume). A step whose carried result is
     * done (succeeded, satisfied, skipped) is not run again: its outputs are reused. Steps not
     * in the map run normally.
     */
    public Engine carryOver(Map<String, StepResult> prior) {
        this.carried = Map.copyOf(prior);
        return this;
    }

    /**
     * Start at this step ({@code --from}): every main step before it is skipped, except the
     * groups that contain it. Refused (exit 2) when it or a later step reads an output of a
     * skipped step that is not carried over.
     */
    public Engine startAt(String stepId) {
        this.from = stepId;
        return this;
    }

    /**
     * Resume with {@code --from}: steps before the start that run all the same instead of
     * being skipped (the reads, which a resume runs again so that later steps see the world as
     * it is now).
     */
    public Engine alsoRun(Set<String> stepIds) {
        this.alsoRun = Set.copyOf(stepIds);
        return this;
    }

    /**
     * Resume: steps that may have done part of their work already, each with why (it was
     * running when the run's process stopped). Such a step runs again when it is a read, a
     * prompt or {@code idempotent}, and is {@code satisfied} when its {@code unless} holds now;
     * otherwise the operator is asked first: {@code --yes} answers yes, a terminal is asked,
     * and without either the run stops with exit 3 before the step runs.
     */
    public Engine askBeforeRerun(Map<String, String> whyByStepId) {
        this.askFirst = Map.copyOf(whyByStepId);
        return this;
    }

    /** Ctrl-C or SIGTERM: stop the running action and its processes; the step is recorded interrupted. */
    public void interrupt() {
        interruption.request();
    }

    /** The redactor of this run: every secret known so far. */
    public Redactor redactor() {
        return redactor;
    }

    /**
     * Runs the runbook and returns how it ended. Bad answers or {@code --from} and vars that
     * cannot be computed throw {@link InvalidRunbookException} (exit 2) before anything runs.
     */
    public RunOutcome run() {
        interruption.runsOn(Thread.currentThread());
        Instant started = Instant.now();
        String runId = options.runId() != null ? options.runId() : newRunId(started);
        rb.secretParamValues(params).forEach(redactor::add);
        RunChecks.answers(rb, options.answers(), redactor);
        Set<String> skippedByFrom = RunChecks.skippedByFrom(rb, checked.graph(), from, carried, alsoRun);
        RunState state = new RunState(rb, Scope.initial(rb, params, runId, options.dryRun(), options.env(), checked.expressions()));
        StepSettings settings = StepSettings.bind(rb, state.base());

        String user = Who.user();
        RunInfo info = new RunInfo(runId, rb.name(), rb.file(), options.dryRun(), shownParams(), user, Who.host(),
                Who.pid(), started);
        RunContext ctx = new RunContext(rb, checked.actions(), checked.expressions(), settings, options, redactor, runId, user);
        try {
            interruption.attach(ctx);
            StepWalker walker = parts(ctx, state, new Resumption(carried, from, skippedByFrom, askFirst));
            listeners.runStarted(info);
            boolean preflightFailed = false;
            if (options.dryRun()) {
                List<Requirement> checks = Preflight.check(rb, state.base(), handlers,
                        s -> new ActionContext(ctx, s, state.base(), true, null, null, OutputListener.NONE));
                listeners.preflight(checks);
                preflightFailed = checks.stream().anyMatch(r -> !r.ok());
            }
            walker.walk();
            RunOutcome o = state.outcome(preflightFailed, options.dryRun());
            RunOutcome outcome = new RunOutcome(o.state(), o.exitCode(), redactor.redact(o.message()));
            listeners.runFinished(info, outcome);
            return outcome;
        } finally {
            ctx.close();
            interruption.runEnded();
            Thread.interrupted(); // an interruption is recorded in the outcome, not left on the thread
        }
    }

    /** The parts of one run, wired to its context and state. */
    private StepWalker parts(RunContext ctx, RunState state, Resumption resumption) {
        Recorder recorder = new Recorder(state, listeners, redactor);
        Hints hints = new Hints(checked.graph(), state);
        DryRunBook dryRunBook = new DryRunBook(checked.graph(), handlers, ctx, recorder);
        Attempts attempts = new Attempts(options.dryRun(), ctx, listeners, redactor, interruption, hints);
        ActionStep actions = new ActionStep(handlers, attempts, state, recorder, dryRunBook, listeners, redactor,
                interruption, hints);
        RerunConfirmation confirmation = new RerunConfirmation(options, ctx.user(), state, recorder);
        return new StepWalker(rb, checked.graph(), options.dryRun(), resumption, state, recorder, dryRunBook,
                confirmation, actions, hints, listeners, interruption, ctx);
    }

    /** The params as the listeners see them: secret ones left out. */
    private Map<String, Object> shownParams() {
        return rb.publicParams(params);
    }

    private static String newRunId(Instant t) {
        return RUN_ID_TIME.format(t) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }
}
