package dev.runbook.engine;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ends steps: the real outputs go into the run's state for later steps, the listeners get a
 * redacted copy. A sensitive step's outputs become secrets of the run and are shown masked
 * whole.
 */
final class Recorder {
    private final RunState state;
    private final Listeners listeners;
    private final Redactor redactor;

    Recorder(RunState state, Listeners listeners, Redactor redactor) {
        this.state = state;
        this.listeners = listeners;
        this.redactor = redactor;
    }

    /** A result with nothing run: no outputs, no attempts, started and ended at {@code at}. */
    static StepResult simple(Step s, StepState state, Instant at, String error, String note) {
        return new StepResult(s.id(), state, Map.of(), at, at, error, null, null, 0, note);
    }

    /** Records a final result; {@code realOutputs} are what later steps read (the result's may be masked). */
    StepResult finish(Step s, StepResult r, Map<String, Object> realOutputs) {
        if (s.sensitive()) {
            for (Object v : realOutputs.values()) {
                addSensitive(v);
            }
        }
        state.record(s, r, realOutputs, true);
        Map<String, Object> shown;
        if (s.sensitive() && !realOutputs.isEmpty()) {
            shown = new LinkedHashMap<>();
            for (String k : realOutputs.keySet()) {
                shown.put(k, Redactor.MASK);
            }
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) redactor.redactValue(r.outputs());
            shown = m == null ? Map.of() : m;
        }
        StepResult out = new StepResult(r.id(), r.state(), shown, r.startedAt(), r.endedAt(), redactor.redact(r.error()),
                r.answer(), redactor.redactValue(r.wouldRun()), r.attempts(), redactor.redact(r.note()));
        listeners.stepFinished(s, out);
        return r;
    }

    /** A step that did not run, with no outputs. */
    StepResult finishSimple(Step s, StepState st, Instant at, String error, String note) {
        return finish(s, simple(s, st, at, error, note), Map.of());
    }

    StepResult fail(Step s, Instant started, String error, int attempts) {
        return finish(s, new StepResult(s.id(), StepState.FAILED, Map.of(), started, Instant.now(), error, null, null,
                attempts, null), Map.of());
    }

    /** Resume: a result from before, reused as it was (it was redacted when first recorded). */
    StepResult carried(Step s, StepResult prior) {
        state.record(s, prior, prior.outputs(), false);
        listeners.stepCarried(s, prior);
        return prior;
    }

    /**
     * The members of a group that does not run share its fate, so that every step has a
     * result: skipped, satisfied or blocked with the group.
     */
    void members(Step group, StepState st) {
        if (!(group.action() instanceof Action.Group g)) {
            return;
        }
        for (Step c : g.steps()) {
            if (state.hasResult(c.id())) {
                continue;
            }
            Instant now = Instant.now();
            finish(c, simple(c, st, now, null, "group '" + group.id() + "' is " + st.word()), Map.of());
            members(c, st);
        }
    }

    private void addSensitive(Object v) {
        if (v instanceof Map<?, ?> m) {
            m.values().forEach(this::addSensitive);
        } else if (v instanceof List<?> l) {
            l.forEach(this::addSensitive);
        } else if (v instanceof String || v instanceof Number) {
            redactor.add(v);
        }
    }
}
