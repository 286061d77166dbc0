package dev.runbook.engine;

import dev.runbook.lang.model.Step;
import java.time.Duration;
import java.util.List;

/**
 * The engine's listeners behind one lock, so that calls arrive one at a time and in order
 * even from the threads of a parallel forEach or from the output pumps.
 */
final class Listeners implements RunListener {
    private final List<RunListener> all;

    Listeners(List<RunListener> all) {
        this.all = List.copyOf(all);
    }

    @Override
    public synchronized void runStarted(RunInfo info) {
        for (RunListener l : all) {
            l.runStarted(info);
        }
    }

    @Override
    public synchronized void preflight(List<Requirement> checks) {
        for (RunListener l : all) {
            l.preflight(checks);
        }
    }

    @Override
    public synchronized void stepStarted(Step step, int attempt) {
        for (RunListener l : all) {
            l.stepStarted(step, attempt);
        }
    }

    @Override
    public synchronized void stepOutput(Step step, String line, boolean stderr) {
        for (RunListener l : all) {
            l.stepOutput(step, line, stderr);
        }
    }

    @Override
    public synchronized void stepRetrying(Step step, int attempt, String error, Duration wait) {
        for (RunListener l : all) {
            l.stepRetrying(step, attempt, error, wait);
        }
    }

    @Override
    public synchronized void stepWaiting(Step step, int attempt, Duration elapsed, Duration timeout, String last) {
        for (RunListener l : all) {
            l.stepWaiting(step, attempt, elapsed, timeout, last);
        }
    }

    @Override
    public synchronized void stepFinished(Step step, StepResult result) {
        for (RunListener l : all) {
            l.stepFinished(step, result);
        }
    }

    @Override
    public synchronized void stepCarried(Step step, StepResult result) {
        for (RunListener l : all) {
            l.stepCarried(step, result);
        }
    }

    @Override
    public synchronized void runFinished(RunInfo info, RunOutcome outcome) {
        for (RunListener l : all) {
            l.runFinished(info, outcome);
        }
    }
}
