package dev.runbook.runbooktest;

import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which safety checks of each tested runbook some test makes stop the run. A guard is every
 * {@code assert} step, every step with {@code until} and a timeout (its own or the defaults'),
 * and every confirm prompt; a test trips the guard at which its run stopped (its failed step, a
 * declined confirm included). The guards no test trips are the untested safety checks.
 */
public final class Coverage {
    /** A guard: the step id and what kind of check it is ({@code assert}, {@code until}, {@code confirm}). */
    public record Guard(String stepId, String kind) {
    }

    /** One runbook's guards, each with the tests that tripped it (in test order). */
    public record RunbookCoverage(Path runbook, Map<Guard, List<String>> trippedBy, String problem) {
        public List<Guard> untripped() {
            return trippedBy.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
        }
    }

    private Coverage() {
    }

    /** The guards of a loaded runbook, in step order (onFailure steps included). */
    public static List<Guard> guards(Runbook rb) {
        List<Guard> out = new ArrayList<>();
        boolean defaultTimeout = rb.defaults() != null && rb.defaults().timeout() != null;
        for (Step s : rb.allSteps()) {
            if (s.action() instanceof Action.Assert) {
                out.add(new Guard(s.id(), "assert"));
            } else if (s.action() instanceof Action.Prompt p && (p.type() == null || p.type().equals("confirm"))) {
                out.add(new Guard(s.id(), "confirm"));
            }
            if (s.until() != null && (s.timeout() != null || defaultTimeout)) {
                out.add(new Guard(s.id(), "until"));
            }
        }
        return out;
    }

    /** Coverage for every runbook the results tested, in the order each was first tested. */
    public static List<RunbookCoverage> of(List<TestResult> results) {
        Map<Path, List<TestResult>> byRunbook = new LinkedHashMap<>();
        for (TestResult r : results) {
            byRunbook.computeIfAbsent(r.spec().runbook(), k -> new ArrayList<>()).add(r);
        }
        List<RunbookCoverage> out = new ArrayList<>();
        byRunbook.forEach((path, tests) -> out.add(of(path, tests)));
        return out;
    }

    static RunbookCoverage of(Path runbook, List<TestResult> tests) {
        List<Guard> guards;
        try {
            guards = guards(RunbookLoader.load(runbook, ActionTypes.standard()).runbook());
        } catch (InvalidRunbookException e) {
            return new RunbookCoverage(runbook, Map.of(), "the runbook does not load: "
                    + (e.diagnostics().isEmpty() ? e.getMessage() : e.diagnostics().get(0).format()));
        }
        Map<Guard, List<String>> trippedBy = new LinkedHashMap<>();
        for (Guard g : guards) {
            List<String> names = new ArrayList<>();
            for (TestResult t : tests) {
                if (g.stepId().equals(t.stoppedAt())) {
                    names.add(t.name());
                }
            }
            trippedBy.put(g, names);
        }
        return new RunbookCoverage(runbook, trippedBy, null);
    }

    /** The coverage section of the console output. */
    public static String text(List<RunbookCoverage> all) {
        StringBuilder sb = new StringBuilder();
        for (RunbookCoverage c : all) {
            sb.append("\nGuards of ").append(c.runbook()).append(':');
            if (c.problem() != null) {
                sb.append(' ').append(c.problem()).append('\n');
                continue;
            }
            long tripped = c.trippedBy().values().stream().filter(l -> !l.isEmpty()).count();
            sb.append(' ').append(tripped).append(" of ").append(c.trippedBy().size()).append(" tripped by a test\n");
            int width = c.trippedBy().keySet().stream().mapToInt(g -> g.stepId().length()).max().orElse(0);
            c.trippedBy().forEach((g, names) -> sb.append("  ")
                    .append(String.format("%-" + Math.max(1, width) + "s  %-8s ", g.stepId(), g.kind()))
                    .append(names.isEmpty() ? "never tripped" : "tripped by " + String.join(", ", names)).append('\n'));
            List<Guard> untripped = c.untripped();
            sb.append(untripped.isEmpty() ? "  every guard is tripped by a test\n"
                    : "  untripped: " + String.join(", ", untripped.stream().map(Guard::stepId).distinct().toList()) + "\n");
        }
        return sb.toString();
    }
}
