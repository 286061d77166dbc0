package dev.runbook.engine;

import dev.runbook.lang.model.Step;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Resume: asks before running again a mutating step that may have done part of its work
 * already. {@code --yes} answers yes; else a terminal is asked; with neither the run stops
 * (exit 3) before the step. A no stops the run too; a yes is recorded as the step's answer.
 */
final class RerunConfirmation {
    private final RunOptions options;
    private final String user;
    private final RunState state;
    private final Recorder recorder;

    RerunConfirmation(RunOptions options, String user, RunState state, Recorder recorder) {
        this.options = options;
        this.user = user;
        this.state = state;
        this.recorder = recorder;
    }

    /**
     * Asks whether the step may run again. Returns null to go on; otherwise the step stays
     * {@code interrupted} and the run stops (exit 3, or 130 when interrupted while asking).
     */
    StepResult confirm(Step s, String why, Instant now) {
        String question = "step '" + s.id() + "' " + why + "; it is neither a read nor idempotent";
        Terminal t = options.terminal();
        String value;
        String source;
        if (options.answers().yes()) {
            value = "yes";
            source = "--yes";
        } else if (t.interactive()) {
            try {
                String line = ask(t, question);
                value = line != null && Boolean.TRUE.equals(PromptAnswers.yesNo(line)) ? "yes" : "no";
            } catch (InterruptedException | ExecutionException e) {
                state.stopInterrupted();
                return recorder.finishSimple(s, StepState.INTERRUPTED, now, "interrupted while asking whether to run it again",
                        null);
            }
            source = "terminal";
        } else {
            state.stop(new RunOutcome("failed", RunOutcome.PROMPT, question + ", so it runs again only when the operator"
                    + " says so, and there is no terminal to ask: resume with --yes to run it again, or with --from"
                    + " a later step to go on without it"));
            return recorder.finishSimple(s, StepState.INTERRUPTED, now, "not run again: no terminal to ask, and no --yes",
                    null);
        }
        Answer a = new Answer(value, user, Instant.now(), source);
        if (!value.equals("yes")) {
            state.stop(new RunOutcome("declined", RunOutcome.PROMPT, "step '" + s.id() + "' was not run again: declined by "
                    + a.by() + " (" + source + ")"));
            return recorder.finish(s, new StepResult(s.id(), StepState.INTERRUPTED, Map.of(), now, now,
                    "not run again: declined by " + a.by(), a, null, 0, null), Map.of());
        }
        state.rerunConfirmed(s.id(), a);
        return null;
    }

    /**
     * The operator's line, read on a thread of its own: a terminal read cannot be interrupted,
     * but the wait for it can (Ctrl-C while the question is open).
     */
    private static String ask(Terminal t, String question) throws InterruptedException, ExecutionException {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String q = "\n? " + question + ".\n  Run it again? [y/N] ";
                String line;
                while ((line = t.readLine(q)) != null && !line.isBlank() && PromptAnswers.yesNo(line) == null) {
                    q = "  please answer yes or no [y/N] ";
                }
                f.complete(line);
            } catch (RuntimeException e) {
                f.complete(null);
            }
        }, "runbook-confirm");
        reader.setDaemon(true);
        reader.start();
        return f.get();
    }
}
