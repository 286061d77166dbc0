package dev.runbook.engine;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Expr;
import dev.runbook.expr.Renderer;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.OnFailure;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The walk over the steps, top to bottom, and each step's life up to its action: carried over,
 * before {@code --from}, blocked, not rehearsable, {@code when}, {@code unless}, the question
 * before a re-run; then a group's members or the action. A failure aborts the list it is in
 * unless the step says {@code onFailure: continue}; after a failed run the onFailure steps run.
 */
final class StepWalker {
    private final Runbook rb;
    private final StepGraph graph;
    private final boolean dryRun;
    private final Resumption resumption;
    private final RunState state;
    private final Recorder recorder;
    private final DryRunBook dryRunBook;
    private final RerunConfirmation confirmation;
    private final ActionStep actions;
    private final Hints hints;
    private final Listeners listeners;
    private final Interruption interruption;
    private final RunContext ctx;

    StepWalker(Runbook rb, StepGraph graph, boolean dryRun, Resumption resumption, RunState state, Recorder recorder,
               DryRunBook dryRunBook, RerunConfirmation confirmation, ActionStep actions, Hints hints,
               Listeners listeners, Interruption interruption, RunContext ctx) {
        this.ctx = ctx;
        this.rb = rb;
        this.graph = graph;
        this.dryRun = dryRun;
        this.resumption = resumption;
        this.state = state;
        this.recorder = recorder;
        this.dryRunBook = dryRunBook;
        this.confirmation = confirmation;
        this.actions = actions;
        this.hints = hints;
        this.listeners = listeners;
        this.interruption = interruption;
    }

    /** The main steps, then, when one of them failed and nothing stopped the run, the onFailure steps. */
    void walk() {
        runList(rb.steps());
        if (!state.stopped() && state.failed() && !rb.onFailure().isEmpty()) {
            state.runDiagnostics(() -> runList(rb.onFailure()));
        }
    }

    /** Runs steps in order; returns false when a failure must abort the enclosing list. */
    private boolean runList(List<Step> steps) {
        for (Step s : steps) {
            if (state.stopped()) {
                return false;
            }
            if (interruption.requested()) {
                state.stopInterrupted();
                return false;
            }
            StepResult r = runStep(s);
            if (state.stopped()) {
                return false;
            }
            // A group fails the list only when one of its members aborted it; a member's
            // onFailure: continue is honoured even though the group then counts as failed.
            boolean failedHere = s.action() instanceof Action.Group ? state.isGroupAborted(s.id())
                    : r.state() == StepState.FAILED;
            if (failedHere && s.onFailure() != OnFailure.CONTINUE) {
                return false;
            }
        }
        return true;
    }

    private StepResult runStep(Step s) {
        Instant now = Instant.now();
        StepResult prior = resumption.carriedDone(s);
        if (prior != null) {
            return recorder.carried(s, prior);
        }
        if (resumption.skipped(s)) {
            return withMembers(s, recorder.finishSimple(s, StepState.SKIPPED, now, null, "before --from " + resumption.from()));
        }
        String blockedBy = blockedBy(s);
        if (blockedBy != null) {
            return withMembers(s, recorder.finishSimple(s, StepState.BLOCKED, now, null, "depends on step '" + blockedBy
                    + "', which " + state.state(blockedBy).word()));
        }
        Map<String, Object> scope = state.newScope();
        if (dryRun) {
            String needsUnknown = dryRunBook.readsUnknown(s);
            if (needsUnknown != null) {
                return dryRunBook.notRehearsable(s, scope, needsUnknown, now);
            }
        }
        try {
            if (s.when() != null && !bool(s.when(), scope, "when")) {
                return withMembers(s, recorder.finishSimple(s, StepState.SKIPPED, now, null,
                        "when: " + s.when().source() + " is false"));
            }
            if (s.unless() != null && bool(s.unless(), scope, "unless")) {
                return withMembers(s, recorder.finishSimple(s, StepState.SATISFIED, now, null,
                        "unless: " + s.unless().source() + " holds: already done"));
            }
        } catch (ActionException e) {
            listeners.stepStarted(s, 1);
            return recorder.fail(s, now, hints.explain(s, e.getMessage(), e.missingKey()), 1);
        }
        String why = resumption.askFirst(s);
        if (why != null && Classification.mutatesByDefinition(s, ctx) && !s.idempotent()) {
            StepResult refused = confirmation.confirm(s, why, now);
            if (refused != null) {
                return refused;
            }
        }
        if (s.action() instanceof Action.Group g) {
            return runGroup(s, g, now);
        }
        return actions.run(s, scope, now);
    }

    /** A step that did not run: the members of a group share its fate. */
    private StepResult withMembers(Step s, StepResult r) {
        recorder.members(s, r.state());
        return r;
    }

    private StepResult runGroup(Step s, Action.Group g, Instant started) {
        listeners.stepStarted(s, 1);
        boolean ok = runList(g.steps());
        StepState st = StepState.SUCCEEDED;
        String error = null;
        boolean anyWould = false;
        for (Step c : g.steps()) {
            StepResult r = state.result(c.id());
            if (r == null) {
                continue;
            }
            switch (r.state()) {
                case INTERRUPTED -> st = StepState.INTERRUPTED;
                case FAILED, BLOCKED -> {
                    if (st != StepState.INTERRUPTED) {
                        st = StepState.FAILED;
                        if (error == null) {
                            error = "step '" + c.id() + "' " + r.state().word();
                        }
                    }
                }
                case WOULD_RUN -> anyWould = true;
                default -> {
                }
            }
        }
        if (st == StepState.SUCCEEDED && anyWould) {
            st = StepState.WOULD_RUN;
        }
        if (!ok && st == StepState.SUCCEEDED) {
            st = state.stoppedByInterruption() ? StepState.INTERRUPTED : StepState.FAILED;
        }
        if (!ok) {
            state.groupAborted(s.id());
        }
        return recorder.finish(s, new StepResult(s.id(), st, Map.of(), started, Instant.now(), error, null, null, 1, null),
                Map.of());
    }

    /** The first step this one depends on (needs or reads) that failed or is blocked, or null. */
    private String blockedBy(Step s) {
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            StepState st = state.state(e.to());
            if ((st == StepState.FAILED || st == StepState.BLOCKED) && !e.readsOnlyStatus()) {
                return e.to();
            }
        }
        return null;
    }

    private boolean bool(Expr e, Map<String, Object> scope, String field) throws ActionException {
        Object v;
        try {
            v = Renderer.evaluate(e, scope, ctx.expressions());
        } catch (EvalException ex) {
            throw new ActionException("cannot compute " + field + ": " + ex.getMessage(), ex);
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ActionException(field + " must be true or false, not " + Hints.kindOf(v));
    }
}
