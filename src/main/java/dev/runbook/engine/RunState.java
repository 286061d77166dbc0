package dev.runbook.engine;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one run has done so far: each step's result, the {@code steps} name that expressions
 * read, the first failure, and whether the run must stop whatever the steps' onFailure says
 * (a declined prompt, an interruption). Read and changed by the run's own thread only, except
 * the re-run answers.
 */
final class RunState {
    private final Map<String, StepResult> results = new LinkedHashMap<>();
    /** The {@code steps} name of expressions: id to {outputs, status}. */
    private final Map<String, Object> stepsScope = new LinkedHashMap<>();
    /** The scope every step starts from: params, vars, run, env and {@code steps}. */
    private final Map<String, Object> base;
    private final Set<String> failureStepIds = new HashSet<>();
    private final Set<String> abortedGroups = new HashSet<>();
    /** Resume: the operator's yes to running a step again, recorded with the step's result. */
    private final Map<String, Answer> rerunAnswers = new ConcurrentHashMap<>();
    /** Set when the run must stop whatever the step's onFailure: declined prompt, interruption. */
    private RunOutcome stop;
    private String firstFailure;
    private boolean failed;

    RunState(Runbook rb, Map<String, Object> base) {
        for (Step s : rb.failureSteps()) {
            failureStepIds.add(s.id());
        }
        this.base = base;
        for (Step s : rb.allSteps()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("outputs", Map.of());
            entry.put("status", StepState.PENDING.word());
            stepsScope.put(s.id(), entry);
        }
        base.put("steps", stepsScope);
    }

    private static RunOutcome interruptedOutcome() {
        return new RunOutcome("interrupted", RunOutcome.INTERRUPTED, "the run was interrupted");
    }

    Map<String, Object> base() {
        return base;
    }

    /** A step's own scope: the base, which it may extend ({@code item}, {@code result}) without changing it. */
    Map<String, Object> newScope() {
        return new LinkedHashMap<>(base);
    }

    /**
     * A final result: its outputs go into the scope of later steps. A fresh failure of a main
     * step (not one carried over, not an onFailure step) fails the run; the first one says why.
     */
    void record(Step s, StepResult r, Map<String, Object> outputs, boolean fresh) {
        results.put(s.id(), r);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("outputs", outputs == null ? Map.of() : outputs);
        entry.put("status", r.state().word());
        stepsScope.put(s.id(), entry);
        boolean main = !failureStepIds.contains(s.id());
        if (fresh && main && (r.state() == StepState.FAILED || r.state() == StepState.BLOCKED) && !failed) {
            failed = true;
            firstFailure = "step '" + s.id() + "' " + r.state().word() + (r.error() != null ? ": " + r.error() : "");
        } else if (fresh && main && (r.state() == StepState.FAILED || r.state() == StepState.BLOCKED)) {
            failed = true;
        }
    }

    StepResult result(String id) {
        return results.get(id);
    }

    boolean hasResult(String id) {
        return results.containsKey(id);
    }

    StepState state(String id) {
        StepResult r = results.get(id);
        return r == null ? StepState.PENDING : r.state();
    }

    boolean failed() {
        return failed;
    }

    void stop(RunOutcome why) {
        stop = why;
    }

    void stopInterrupted() {
        stop = interruptedOutcome();
    }

    boolean stopped() {
        return stop != null;
    }

    boolean stoppedByInterruption() {
        return stop != null && stop.exitCode() == RunOutcome.INTERRUPTED;
    }

    /** The onFailure steps run after the run failed: their own results do not change why it failed. */
    void runDiagnostics(Runnable diagnostics) {
        boolean keep = failed;
        String first = firstFailure;
        diagnostics.run();
        failed = keep;
        firstFailure = first;
    }

    /** A member of this group failed and aborted it (rather than continuing past its failure). */
    void groupAborted(String groupId) {
        abortedGroups.add(groupId);
    }

    boolean isGroupAborted(String groupId) {
        return abortedGroups.contains(groupId);
    }

    void rerunConfirmed(String stepId, Answer answer) {
        rerunAnswers.put(stepId, answer);
    }

    /** The operator's yes to running this step again, or null. */
    Answer rerunAnswer(String stepId) {
        return rerunAnswers.get(stepId);
    }

    /** How the run ended, once every step that was going to run has run. */
    RunOutcome outcome(boolean preflightFailed, boolean dryRun) {
        if (stop != null) {
            return stop;
        }
        if (failed) {
            return new RunOutcome("failed", RunOutcome.STEP_FAILED, firstFailure);
        }
        if (preflightFailed) {
            return new RunOutcome("failed", RunOutcome.STEP_FAILED, "the dry run found what a real run would miss (see the checks above)");
        }
        if (dryRun) {
            long would = results.values().stream().filter(r -> r.state() == StepState.WOULD_RUN).count();
            return new RunOutcome("succeeded", RunOutcome.OK, "dry run passed: every rehearsed step passed, "
                    + would + " step" + (would == 1 ? "" : "s") + " would run");
        }
        return new RunOutcome("succeeded", RunOutcome.OK, "every step is done");
    }
}
