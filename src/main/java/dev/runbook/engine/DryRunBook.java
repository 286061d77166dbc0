package dev.runbook.engine;

import dev.runbook.graph.StepGraph;
import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.proc.OutputListener;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A dry run's account of what it could not produce: the steps whose outputs are unknown
 * because they did not really run, and what becomes of the steps that read them.
 */
final class DryRunBook {
    private final Set<String> unknown = new HashSet<>();
    private final StepGraph graph;
    private final HandlerSource handlers;
    private final RunContext ctx;
    private final Recorder recorder;

    DryRunBook(StepGraph graph, HandlerSource handlers, RunContext ctx, Recorder recorder) {
        this.graph = graph;
        this.handlers = handlers;
        this.ctx = ctx;
        this.recorder = recorder;
    }

    /** This step did not really run: later steps cannot read its outputs in this dry run. */
    void outputsUnknown(String stepId) {
        unknown.add(stepId);
    }

    /** The step this one reads whose outputs are unknown, or null. */
    String readsUnknown(Step s) {
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            if (e.kind() == StepGraph.Kind.READS && unknown.contains(e.to())) {
                return e.to();
            }
        }
        return null;
    }

    /**
     * A step that reads what a dry run could not produce. A mutating step is still shown as
     * would-run, with the unknown values as {@code ${{ ... }}}; any other step is skipped as not
     * rehearsable. Either way its own outputs become unknown.
     */
    StepResult notRehearsable(Step s, Map<String, Object> scope, String source, Instant now) {
        unknown.add(s.id());
        String why = "reads step '" + source + "', whose outputs a dry run does not produce";
        if (s.action() instanceof Action.Group group) {
            for (Step c : group.steps()) {
                markUnknown(c);
            }
        } else {
            try {
                ActionHandler h = handlers.of(s);
                Map<String, Object> sc = new LinkedHashMap<>(scope);
                if (s.forEach() != null) {
                    sc.put("item", null);
                    sc.put("index", null);
                }
                ActionContext preview = new ActionContext(ctx, s, sc, true, null, null, OutputListener.NONE);
                Invocation inv = h.prepare(s, preview);
                if (Classification.of(s, preview) == Effect.MUTATES) {
                    return recorder.finish(s, new StepResult(s.id(), StepState.WOULD_RUN, Map.of(), now, now, null, null,
                            inv.describe(), 0, "some values are known only in a real run: " + why), Map.of());
                }
            } catch (ActionException | RuntimeException e) {
                // fall through: not rehearsable
            }
        }
        return recorder.finishSimple(s, StepState.SKIPPED, now, null, "not rehearsable: " + why);
    }

    private void markUnknown(Step s) {
        unknown.add(s.id());
        recorder.finishSimple(s, StepState.SKIPPED, Instant.now(), null, "not rehearsable: its group is not");
        if (s.action() instanceof Action.Group g) {
            for (Step c : g.steps()) {
                markUnknown(c);
            }
        }
    }
}
