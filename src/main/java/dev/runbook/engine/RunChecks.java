package dev.runbook.engine;

import dev.runbook.graph.StepGraph;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.Suggest;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the command line asked for, checked before any step runs: answers given up front and
 * {@code --from}. Each problem is an {@link InvalidRunbookException} (exit 2).
 */
final class RunChecks {
    private RunChecks() {
    }

    /**
     * Every answer names a prompt step, and a confirm's answer is yes or no. The answers to
     * secret prompts become secrets of the run.
     */
    static void answers(Runbook rb, Answers answers, Redactor redactor) {
        List<Diagnostic> problems = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (Step s : rb.allSteps()) {
            if (s.action() instanceof Action.Prompt) {
                prompts.add(s.id());
            }
        }
        for (String id : answers.ids()) {
            Step s = rb.step(id);
            Answers.Given g = answers.get(id);
            if (s == null || !(s.action() instanceof Action.Prompt p)) {
                String hint = Suggest.closest(id, prompts);
                problems.add(new Diagnostic(null, null, g.source() + " names '" + id + "', which is "
                        + (s == null ? "not a step of this runbook" : "not a prompt step")
                        + (hint != null ? " (did you mean '" + hint + "'?)" : ""),
                        List.of(prompts.isEmpty() ? "this runbook has no prompts" : "prompt steps: " + String.join(", ", prompts))));
                continue;
            }
            if (p.type().equals("secret")) {
                redactor.add(g.value());
            }
            if (p.type().equals("confirm") && PromptAnswers.yesNo(g.value()) == null) {
                problems.add(new Diagnostic(null, null, g.source() + " for confirm '" + id + "' must be yes or no, not '"
                        + g.value() + "'"));
            }
            List<String> choices = PromptAnswers.literalChoices(p);
            if (choices != null && !choices.contains(g.value())) {
                problems.add(new Diagnostic(null, null, g.source() + " for choice '" + id + "' must be one of "
                        + String.join(", ", choices)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(problems);
        }
    }

    /**
     * The main steps that {@code --from from} skips: those before it, except the groups that
     * contain it, the steps carried over as done and those in {@code alsoRun}. Empty without
     * {@code --from}. Refused when the start step or a later one reads a skipped step.
     */
    static Set<String> skippedByFrom(Runbook rb, StepGraph graph, String from, Map<String, StepResult> carried,
                                     Set<String> alsoRun) {
        Set<String> skipped = new HashSet<>();
        if (from == null) {
            return skipped;
        }
        List<Step> main = rb.mainSteps();
        int at = -1;
        for (int i = 0; i < main.size(); i++) {
            if (main.get(i).id().equals(from)) {
                at = i;
            }
        }
        if (at < 0) {
            String hint = Suggest.closest(from, main.stream().map(Step::id).toList());
            boolean failure = rb.failureSteps().stream().anyMatch(s -> s.id().equals(from));
            throw new InvalidRunbookException(List.of(new Diagnostic(null, null, "--from " + from + ": "
                    + (failure ? "an onFailure step cannot be a starting point" : "no such step")
                    + (hint != null && !failure ? " (did you mean '" + hint + "'?)" : ""))));
        }
        Set<String> ancestors = new HashSet<>();
        String g = main.get(at).group();
        while (g != null) {
            ancestors.add(g);
            g = rb.step(g).group();
        }
        for (int i = 0; i < at; i++) {
            String id = main.get(i).id();
            StepResult prior = carried.get(id);
            boolean carriedDone = prior != null && prior.state().isDone();
            if (!ancestors.contains(id) && !carriedDone && !alsoRun.contains(id)) {
                skipped.add(id);
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = at; i < main.size(); i++) {
            for (StepGraph.Edge e : graph.edgesFrom(main.get(i).id())) {
                if (e.kind() == StepGraph.Kind.READS && skipped.contains(e.to())) {
                    problems.add("step '" + e.from() + "' reads " + (e.outputs().isEmpty() ? "step '" + e.to() + "'"
                            : "outputs " + String.join(", ", e.outputs()) + " of step '" + e.to() + "'"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(List.of(new Diagnostic(null, null,
                    "--from " + from + " would skip steps whose outputs later steps read", problems)));
        }
        return skipped;
    }
}
