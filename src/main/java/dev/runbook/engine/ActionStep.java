package dev.runbook.engine;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One action step (not a group) that is going to run: its action once, or once per
 * {@code forEach} element (in order, or {@code parallel: N} at a time), then the executions
 * summed up into the step's result. A failed or interrupted element stops the elements not
 * started yet.
 */
final class ActionStep {
    private final HandlerSource handlers;
    private final Attempts attempts;
    private final RunState state;
    private final Recorder recorder;
    private final DryRunBook dryRun;
    private final Listeners listeners;
    private final Redactor redactor;
    private final Interruption interruption;
    private final Hints hints;

    ActionStep(HandlerSource handlers, Attempts attempts, RunState state, Recorder recorder, DryRunBook dryRun,
               Listeners listeners, Redactor redactor, Interruption interruption, Hints hints) {
        this.handlers = handlers;
        this.attempts = attempts;
        this.state = state;
        this.recorder = recorder;
        this.dryRun = dryRun;
        this.listeners = listeners;
        this.redactor = redactor;
        this.interruption = interruption;
        this.hints = hints;
    }

    StepResult run(Step s, Map<String, Object> scope, Instant started) {
        ActionHandler handler;
        try {
            handler = handlers.of(s);
        } catch (RuntimeException e) {
            listeners.stepStarted(s, 1);
            return recorder.fail(s, started, "cannot run this step: " + e.getMessage(), 1);
        }
        listeners.stepStarted(s, 1);
        List<Object> items = null;
        if (s.forEach() != null) {
            try {
                Object v = Renderer.evaluate(s.forEach(), scope);
                if (!(v instanceof List<?> l)) {
                    throw new ActionException("forEach must give a list, not " + Hints.kindOf(v));
                }
                items = new ArrayList<>(l);
            } catch (EvalException e) {
                return recorder.fail(s, started, hints.explain(s, "cannot compute forEach: " + e.getMessage(), e.missingKey()), 1);
            } catch (ActionException e) {
                return recorder.fail(s, started, e.getMessage(), 1);
            }
        }
        List<ItemOutcome> done = new ArrayList<>();
        if (items == null) {
            done.add(attempts.run(s, handler, scope, -1));
        } else if (s.parallel() <= 1 || items.size() <= 1) {
            for (int i = 0; i < items.size(); i++) {
                ItemOutcome it = attempts.run(s, handler, itemScope(scope, items, i), i);
                done.add(it);
                if (it.stopsTheStep()) {
                    break;
                }
            }
        } else {
            done.addAll(inParallel(s, handler, scope, items));
        }
        return aggregate(s, items, done, started);
    }

    private static Map<String, Object> itemScope(Map<String, Object> scope, List<Object> items, int i) {
        Map<String, Object> m = new LinkedHashMap<>(scope);
        m.put("item", items.get(i));
        m.put("index", (long) i);
        return m;
    }

    /** The elements on a pool of {@code parallel} threads; the outcomes come back in element order. */
    private List<ItemOutcome> inParallel(Step s, ActionHandler handler, Map<String, Object> scope, List<Object> items) {
        int n = Math.min(s.parallel(), items.size());
        ExecutorService p = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "runbook-" + s.id());
            t.setDaemon(true);
            return t;
        });
        interruption.pool(p);
        AtomicBoolean abort = new AtomicBoolean();
        List<Future<ItemOutcome>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                futures.add(p.submit(() -> {
                    if (abort.get() || interruption.requested()) {
                        return null;
                    }
                    ItemOutcome it = attempts.run(s, handler, itemScope(scope, items, index), index);
                    if (it.stopsTheStep()) {
                        abort.set(true);
                    }
                    return it;
                }));
            }
            List<ItemOutcome> out = new ArrayList<>();
            for (Future<ItemOutcome> f : futures) {
                try {
                    ItemOutcome it = f.get();
                    if (it != null) {
                        out.add(it);
                    }
                } catch (CancellationException | InterruptedException e) {
                    out.add(ItemOutcome.interrupted(null, 1));
                } catch (ExecutionException e) {
                    out.add(new ItemOutcome(StepState.FAILED, Map.of(), null, "internal error: " + e.getCause(),
                            ActionException.Kind.FAILED, null, 1, false));
                }
            }
            return out;
        } finally {
            p.shutdownNow();
            interruption.pool(null);
        }
    }

    /**
     * The step's result from its executions: interrupted if one was, else failed if one
     * failed (naming the element), else would-run, skipped or succeeded. A forEach step's
     * outputs are lists in element order.
     */
    private StepResult aggregate(Step s, List<Object> items, List<ItemOutcome> done, Instant started) {
        Instant ended = Instant.now();
        int attemptCount = done.stream().mapToInt(ItemOutcome::attempts).max().orElse(1);
        Answer answer = null;
        for (ItemOutcome it : done) {
            if (it.answer() != null) {
                answer = it.answer();
            }
        }
        if (answer == null) {
            answer = state.rerunAnswer(s.id());
        }
        ItemOutcome bad = null;
        for (ItemOutcome it : done) {
            if (it.state() == StepState.INTERRUPTED) {
                bad = it;
                break;
            }
            if (it.state() == StepState.FAILED && bad == null) {
                bad = it;
            }
        }
        if (bad != null) {
            return failed(s, items, done, bad, started, ended, answer, attemptCount);
        }
        Map<String, Object> outputs;
        if (items == null) {
            outputs = done.get(0).outputs();
        } else {
            outputs = new LinkedHashMap<>();
            for (Capture c : s.capture()) {
                List<Object> l = new ArrayList<>();
                for (ItemOutcome it : done) {
                    l.add(it.outputs().get(c.name()));
                }
                outputs.put(c.name(), l);
            }
        }
        boolean anyWould = done.stream().anyMatch(it -> it.state() == StepState.WOULD_RUN);
        boolean unknownOut = done.stream().anyMatch(ItemOutcome::unknownOutputs);
        if (anyWould) {
            Object would = items == null ? done.get(0).wouldRun() : done.stream().map(ItemOutcome::wouldRun).toList();
            if (unknownOut) {
                dryRun.outputsUnknown(s.id());
                outputs = Map.of();
            }
            return recorder.finish(s, new StepResult(s.id(), StepState.WOULD_RUN, outputs, started, ended, null, answer,
                    redactor.redactValue(would), attemptCount, null), outputs);
        }
        if (!done.isEmpty() && done.stream().allMatch(it -> it.state() == StepState.SKIPPED)) {
            return recorder.finish(s, new StepResult(s.id(), StepState.SKIPPED, Map.of(), started, ended, null, answer, null,
                    attemptCount, done.get(0).error()), Map.of());
        }
        return recorder.finish(s, new StepResult(s.id(), StepState.SUCCEEDED, outputs, started, ended, null, answer, null,
                attemptCount, items != null && items.isEmpty() ? "forEach gave no items" : null), outputs);
    }

    /** An interrupted element stops the run; a declined or unanswerable prompt does too. */
    private StepResult failed(Step s, List<Object> items, List<ItemOutcome> done, ItemOutcome bad, Instant started,
                              Instant ended, Answer answer, int attemptCount) {
        if (bad.state() == StepState.INTERRUPTED) {
            state.stopInterrupted();
            return recorder.finish(s, new StepResult(s.id(), StepState.INTERRUPTED, Map.of(), started, ended, "interrupted",
                    answer, null, attemptCount, null), Map.of());
        }
        String error = bad.error();
        if (items != null) {
            int i = done.indexOf(bad);
            error = "item " + i + " (" + Renderer.format(items.get(i)) + "): " + error;
        }
        StepResult r = recorder.finish(s, new StepResult(s.id(), StepState.FAILED, Map.of(), started, ended, error, answer,
                null, attemptCount, null), Map.of());
        if (bad.kind() == ActionException.Kind.DECLINED || bad.kind() == ActionException.Kind.UNANSWERABLE) {
            state.stop(new RunOutcome(bad.kind() == ActionException.Kind.DECLINED ? "declined" : "failed",
                    RunOutcome.PROMPT, "step '" + s.id() + "': " + error));
        }
        return r;
    }
}
