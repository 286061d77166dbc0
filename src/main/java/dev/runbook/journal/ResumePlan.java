package dev.runbook.journal;

import dev.runbook.engine.StepResult;
import dev.runbook.engine.StepState;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a resume keeps and what it runs again (SPEC section 7), from the run's journal and the
 * runbook as it is now. The engine takes the result through {@code carryOver},
 * {@code askBeforeRerun}, {@code startAt} and {@code alsoRun}.
 *
 * <ul>
 *   <li>Kept, with their outputs from the journal: steps that succeeded, were satisfied or
 *       skipped, and answered prompts, except reads.</li>
 *   <li>Run again: reads (so that later steps see the world as it is now; a read that no longer
 *       holds stops the resume), failed, blocked, interrupted and pending steps, the first step
 *       whose definition changed and every step after it, and with {@code --from STEP} that step
 *       and every step after it.</li>
 *   <li>Asked first: an interrupted step that is not a read, a prompt or {@code idempotent}
 *       (the engine asks only when its {@code unless} does not hold now), and a done step whose
 *       outputs were kept off the disk (sensitive) while a step that runs now reads them.</li>
 * </ul>
 *
 * @param carried    results to carry over, by step id (done groups too: the engine runs a group
 *                   anyway, to reach its members, but does not skip it before {@code --from})
 * @param rerunReads done reads that run again
 * @param askFirst   steps to confirm before they run again, with why
 * @param alsoRun    with {@code --from}: steps before it that run all the same (reads, groups)
 * @param resumeAt   the first step that is not kept and not a read run again; null when none
 * @param neededSensitive done steps that run again because their outputs were never written
 */
public record ResumePlan(Map<String, StepResult> carried, List<String> rerunReads, Map<String, String> askFirst,
                         Set<String> alsoRun, String resumeAt, List<String> neededSensitive) {

    /** The note a carried result gets: where it came from. */
    public static final String CARRIED_NOTE = "from the run's journal";

    /**
     * @param changes what differs between the recorded steps and the runbook now
     * @param from    {@code resume --from STEP}, or null
     */
    public static ResumePlan of(RunState run, CheckedRunbook checked, DefinitionHash.Changes changes, String from) {
        Runbook rb = checked.runbook();
        StepGraph graph = checked.graph();
        List<Step> main = rb.mainSteps();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < main.size(); i++) {
            index.put(main.get(i).id(), i);
        }
        int firstChanged = Integer.MAX_VALUE;
        for (String id : changes.changed()) {
            Integer i = index.get(id);
            if (i != null) {
                firstChanged = Math.min(firstChanged, i);
            }
        }
        int fromAt = from == null || !index.containsKey(from) ? Integer.MAX_VALUE : index.get(from);
        Set<String> ancestorsOfFrom = new HashSet<>();
        if (fromAt != Integer.MAX_VALUE) {
            for (String g = main.get(fromAt).group(); g != null; g = rb.step(g).group()) {
                ancestorsOfFrom.add(g);
            }
        }

        Map<String, StepResult> carried = new LinkedHashMap<>();
        List<String> rerunReads = new ArrayList<>();
        Map<String, String> askFirst = new LinkedHashMap<>();
        Set<String> alsoRun = new LinkedHashSet<>();
        for (int i = 0; i < main.size(); i++) {
            Step s = main.get(i);
            RunState.StepRecord rec = run.steps().get(s.id());
            if (rec == null || ancestorsOfFrom.contains(s.id())) {
                continue;
            }
            boolean fromOn = i >= fromAt;
            Effect effect = Effect.ofDefinition(s, checked.actions());
            if (rec.state() == StepState.INTERRUPTED && !fromOn && effect == Effect.MUTATES && !s.idempotent()) {
                askFirst.put(s.id(), "was running when the run's process stopped, so part of its work may be done");
            }
            if (fromOn || i >= firstChanged || !rec.state().isDone()) {
                continue;
            }
            if (effect == Effect.READ && rec.state() != StepState.SKIPPED) {
                rerunReads.add(s.id());
                if (i < fromAt && from != null) {
                    alsoRun.add(s.id());
                }
                continue;
            }
            carried.put(s.id(), result(rec));
        }

        // Outputs kept off the disk (sensitive steps, secret prompts) can't be carried to a step
        // that reads them: such a step runs again (a prompt is asked again).
        List<String> neededSensitive = new ArrayList<>();
        boolean again = true;
        while (again) {
            again = false;
            for (int i = 0; i < main.size(); i++) {
                Step t = main.get(i);
                boolean runs = !carried.containsKey(t.id()) && !(i < fromAt && from != null && !alsoRun.contains(t.id()))
                        && !(t.action() instanceof Action.Group);
                if (!runs) {
                    continue;
                }
                for (StepGraph.Edge e : graph.edgesFrom(t.id())) {
                    StepResult c = carried.get(e.to());
                    RunState.StepRecord rec = run.steps().get(e.to());
                    if (e.kind() != StepGraph.Kind.READS || e.outputs().isEmpty() || c == null || rec == null
                            || !rec.sensitive()) {
                        continue;
                    }
                    carried.remove(e.to());
                    neededSensitive.add(e.to());
                    Step u = rb.step(e.to());
                    if (Effect.ofDefinition(u, checked.actions()) == Effect.MUTATES && !u.idempotent()) {
                        askFirst.put(e.to(), "was done, but its outputs are sensitive and were never written, and step '"
                                + t.id() + "' needs them");
                    }
                    if (from != null && index.get(e.to()) < fromAt) {
                        alsoRun.add(e.to());
                    }
                    again = true;
                }
            }
        }

        // With --from, a group before it runs when one of its members is kept or runs again.
        if (from != null) {
            for (int i = Math.min(fromAt, main.size()) - 1; i >= 0; i--) {
                Step g = main.get(i);
                if (g.action() instanceof Action.Group group && !carried.containsKey(g.id())
                        && !ancestorsOfFrom.contains(g.id())) {
                    for (Step m : group.steps()) {
                        if (carried.containsKey(m.id()) || alsoRun.contains(m.id())) {
                            alsoRun.add(g.id());
                            break;
                        }
                    }
                }
            }
        }

        String resumeAt = from;
        if (resumeAt == null) {
            for (Step s : main) {
                if (!(s.action() instanceof Action.Group) && !carried.containsKey(s.id()) && !rerunReads.contains(s.id())) {
                    resumeAt = s.id();
                    break;
                }
            }
        }
        return new ResumePlan(carried, List.copyOf(rerunReads), askFirst, alsoRun, resumeAt, List.copyOf(neededSensitive));
    }

    /** The kept steps that are not groups: what the operator reads as "kept from before". */
    public List<String> keptSteps(Runbook rb) {
        List<String> out = new ArrayList<>();
        for (Step s : rb.mainSteps()) {
            if (carried.containsKey(s.id()) && !(s.action() instanceof Action.Group)) {
                out.add(s.id());
            }
        }
        return out;
    }

    private static StepResult result(RunState.StepRecord r) {
        return new StepResult(r.id(), r.state(), r.outputs() == null ? Map.of() : r.outputs(), r.startedAt(), r.endedAt(),
                r.error(), r.answer(), r.wouldRun(), r.attempts(), CARRIED_NOTE);
    }
}
