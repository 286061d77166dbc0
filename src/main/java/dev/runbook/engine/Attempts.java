package dev.runbook.engine;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.Durations;
import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.StepSettings;
import dev.runbook.lang.model.Step;
import dev.runbook.proc.OutputListener;
import dev.runbook.secrets.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One execution of an action step (the step, or one forEach element): render, classify, then
 * in a dry run stop at a mutating action; otherwise run it with {@code retries} or an
 * {@code until} loop under its {@code timeout}, then {@code capture}. Called from the threads
 * of a parallel forEach too: it changes nothing but what it returns (and the listeners, which
 * serialise their calls).
 */
final class Attempts {

    private final boolean dryRun;
    private final RunContext ctx;
    private final Listeners listeners;
    private final Redactor redactor;
    private final Interruption interruption;
    private final Hints hints;

    Attempts(boolean dryRun, RunContext ctx, Listeners listeners, Redactor redactor,
             Interruption interruption, Hints hints) {
        this.dryRun = dryRun;
        this.ctx = ctx;
        this.listeners = listeners;
        this.redactor = redactor;
        this.interruption = interruption;
        this.hints = hints;
    }

    /** Runs one execution; {@code index} is the forEach element's, or -1 for a step without forEach. */
    ItemOutcome run(Step s, ActionHandler handler, Map<String, Object> scope, int index) {
        String prefix = index >= 0 ? "[" + index + "] " : "";
        // A sensitive step's output may hold what it captures, which is not known to be secret
        // until the capture ran: none of it is shown.
        Muting out = new Muting(s.sensitive() ? OutputListener.NONE
                : (line, err) -> listeners.stepOutput(s, redactor.redact(prefix + line), err));
        StepSettings settings = ctx.settings();
        Duration timeout = settings.timeout(s);
        int retries = settings.retries(s);
        Duration interval = settings.interval(s);
        boolean prompt = s.action() instanceof Action.Prompt;
        int attempt = 0;
        while (true) {
            attempt++;
            if (attempt > 1) {
                listeners.stepStarted(s, attempt);
            }
            Instant start = Instant.now();
            Instant deadline = timeout == null || prompt ? null : start.plus(timeout);
            ActionContext ac = new ActionContext(ctx, s, scope, false, deadline, prompt ? null : timeout, out);
            Invocation inv;
            try {
                inv = handler.prepare(s, ac);
            } catch (ActionException e) {
                return failed(s, e, attempt, ac.answer());
            } catch (RuntimeException e) {
                return failed(s, new ActionException("internal error while preparing the step: " + e), attempt, null);
            }
            Effect effect = Classification.of(s, ac);
            if (dryRun && effect == Effect.MUTATES) {
                try {
                    return new ItemOutcome(StepState.WOULD_RUN, Map.of(), inv.rehearse(ac), null, null, null, 1, true);
                } catch (InterruptedException e) {
                    return ItemOutcome.interrupted(ac.answer(), attempt);
                } catch (ActionException e) {
                    return failed(s, e, attempt, ac.answer());
                }
            }
            Object result;
            try {
                if (s.until() != null && !prompt) {
                    result = until(s, inv, ac, out, start, timeout, interval);
                } else {
                    result = inv.run(ac);
                }
            } catch (InterruptedException e) {
                return ItemOutcome.interrupted(ac.answer(), attempt);
            } catch (ActionException e) {
                if (interruption.requested()) {
                    return ItemOutcome.interrupted(ac.answer(), attempt);
                }
                if (e.kind() == ActionException.Kind.UNKNOWN) {
                    return new ItemOutcome(StepState.WOULD_RUN, Map.of(), inv.describe(), null, null, ac.answer(), 1, true);
                }
                if (e.retryable() && attempt <= retries && s.until() == null && !prompt) {
                    listeners.stepRetrying(s, attempt, redactor.redact(e.getMessage()), interval);
                    if (!interruption.sleep(interval)) {
                        return ItemOutcome.interrupted(null, attempt);
                    }
                    continue;
                }
                return failed(s, e, attempt, ac.answer());
            } catch (RuntimeException e) {
                return failed(s, new ActionException("internal error: " + e), attempt, ac.answer());
            }
            Map<String, Object> outputs;
            try {
                outputs = capture(s, scope, result);
            } catch (ActionException e) {
                return failed(s, e, attempt, ac.answer());
            }
            if (dryRun && effect == Effect.PROMPT) {
                return new ItemOutcome(StepState.WOULD_RUN, outputs, inv.describe(), null, null, ac.answer(), attempt, false);
            }
            return ItemOutcome.succeeded(outputs, ac.answer(), attempt);
        }
    }


    private ItemOutcome failed(Step s, ActionException e, int attempts, Answer answer) {
        if (e.kind() == ActionException.Kind.SKIPPED) {
            return new ItemOutcome(StepState.SKIPPED, Map.of(), null, e.getMessage(), e.kind(), answer, attempts, false);
        }
        return new ItemOutcome(StepState.FAILED, Map.of(), null, hints.explain(s, e.getMessage(), e.missingKey()), e.kind(), answer,
                attempts, false);
    }

    /**
     * Runs the action every interval until the condition holds. An attempt that could not
     * finish before the timeout is not started: the step fails with the last value seen.
     * Live output is shown for the first attempt only; later ones are summed up in the
     * waiting line, so a two-hour wait does not flood the console.
     */
    private Object until(Step s, Invocation inv, ActionContext ac, Muting out, Instant start, Duration timeout,
                         Duration interval) throws ActionException, InterruptedException {
        if (inv.awaitable()) {
            return awaited(s, inv, ac, start, timeout, interval);
        }
        int attempt = 0;
        String last = null;
        while (true) {
            attempt++;
            out.mute(attempt > 1);
            try {
                Object result = inv.run(ac);
                Map<String, Object> scope = new LinkedHashMap<>(ac.scope());
                scope.put("result", result);
                Object v;
                try {
                    v = Renderer.evaluate(s.until(), scope, ctx.expressions());
                } catch (EvalException e) {
                    throw new ActionException("cannot compute until: " + e.getMessage(), e);
                }
                if (!(v instanceof Boolean b)) {
                    // An author's mistake, not "not yet": waiting would only wait out the timeout.
                    throw new ActionException(ActionException.Kind.INVALID, "until: " + s.until().source()
                            + " must give true or false, but gave " + Hints.kindOf(v) + resultHint(result));
                }
                if (b) {
                    return result;
                }
                last = "false" + resultHint(result);
            } catch (ActionException e) {
                if (!e.retryable() || interruption.requested()) {
                    throw e;
                }
                // A failed attempt counts as "not yet": a service that is still starting fails its probe.
                last = "error: " + e.getMessage();
            } finally {
                out.mute(false);
            }
            Duration elapsed = Duration.between(start, Instant.now());
            if (timeout != null && elapsed.plus(interval).compareTo(timeout) >= 0) {
                throw new ActionException(ActionException.Kind.TIMED_OUT, "until: " + s.until().source()
                        + " did not hold within " + Durations.format(timeout) + " (" + attempt
                        + " attempt" + (attempt == 1 ? "" : "s") + "; last: " + last + ")");
            }
            listeners.stepWaiting(s, attempt, elapsed, timeout, redactor.redact(last));
            if (!interruption.sleep(interval)) {
                throw new InterruptedException();
            }
        }
    }

    /**
     * An until that the action waits out itself (a Kubernetes watch): the same condition, the
     * same waiting lines and the same timeout message as the loop above, but each change is seen
     * as soon as it happens rather than at the next interval.
     */
    private Object awaited(Step s, Invocation inv, ActionContext ac, Instant start, Duration timeout, Duration interval)
            throws ActionException, InterruptedException {
        int[] attempts = {0};
        String[] last = {null};
        java.util.function.Predicate<Object> holds = result -> {
            attempts[0]++;
            Map<String, Object> scope = new LinkedHashMap<>(ac.scope());
            scope.put("result", result);
            Object v;
            try {
                v = Renderer.evaluate(s.until(), scope, ctx.expressions());
            } catch (EvalException e) {
                throw new StopWaiting(new ActionException("cannot compute until: " + e.getMessage()));
            }
            if (!(v instanceof Boolean b)) {
                throw new StopWaiting(new ActionException(ActionException.Kind.INVALID, "until: " + s.until().source()
                        + " must give true or false, but gave " + Hints.kindOf(v) + resultHint(result)));
            }
            if (!b) {
                last[0] = "false" + resultHint(result);
                listeners.stepWaiting(s, attempts[0], Duration.between(start, Instant.now()), timeout, redactor.redact(last[0]));
            }
            return b;
        };
        Duration left = timeout == null ? null : timeout.minus(Duration.between(start, Instant.now()));
        try {
            return inv.await(ac, holds, interval, left == null || !left.isNegative() ? left : Duration.ZERO, null);
        } catch (StopWaiting e) {
            throw e.reason;
        } catch (ActionException e) {
            if (e.kind() != ActionException.Kind.TIMED_OUT) {
                throw e;
            }
            throw new ActionException(ActionException.Kind.TIMED_OUT, "until: " + s.until().source()
                    + " did not hold within " + Durations.format(timeout) + " (" + attempts[0]
                    + " attempt" + (attempts[0] == 1 ? "" : "s") + "; last: " + (last[0] != null ? last[0] : "error: " + e.getMessage()) + ")");
        }
    }

    /** Carries an until that cannot be computed out of the action's wait. */
    private static final class StopWaiting extends RuntimeException {
        final ActionException reason;

        StopWaiting(ActionException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /** A short hint of what a polled action saw: the last line of its output, or an object's status. */
    private static String resultHint(Object result) {
        if (result instanceof Map<?, ?> m && m.get("stdout") instanceof String out && !out.isBlank()) {
            String[] lines = out.strip().split("\n");
            String l = lines[lines.length - 1].strip();
            return " (output: " + (l.length() > 80 ? l.substring(0, 77) + "..." : l) + ")";
        }
        // A Kubernetes object (or list) waited on: its status says why the condition does not hold yet.
        Object status = null;
        if (result instanceof Map<?, ?> m && m.get("status") != null) {
            status = m.get("status");
        } else if (result instanceof Map<?, ?> m && m.get("items") instanceof java.util.List<?> items && !items.isEmpty()) {
            status = items.stream().map(i -> i instanceof Map<?, ?> im ? im.get("status") : null).toList();
        }
        if (status != null) {
            String t = Renderer.format(status);
            return " (status: " + (t.length() > 160 ? t.substring(0, 157) + "..." : t) + ")";
        }
        return "";
    }

    private Map<String, Object> capture(Step s, Map<String, Object> scope, Object result) throws ActionException {
        if (s.capture().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> sc = new LinkedHashMap<>(scope);
        sc.put("result", result);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Capture c : s.capture()) {
            try {
                out.put(c.name(), Renderer.evaluate(c.expr(), sc, ctx.expressions()));
            } catch (EvalException e) {
                throw new ActionException("cannot capture " + c.name() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
