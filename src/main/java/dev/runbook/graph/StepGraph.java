package dev.runbook.graph;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The step graph: an edge from a step to every earlier step it depends on, through
 * {@code needs} or through a {@code steps.ID} its expressions read. Edges only point backwards,
 * so the graph has no cycles by construction.
 */
public final class StepGraph {

    /** Why one step depends on another. */
    public enum Kind { NEEDS, READS }

    /**
     * {@code from} depends on {@code to}; for READS, {@code outputs} lists the output names read,
     * and {@code parts} what of the step is read: {@code status}, {@code outputs}, or the whole
     * {@code step} (with {@code needs} for an explicit need as well).
     */
    public record Edge(String from, String to, Kind kind, Set<String> outputs, Set<String> parts) {
        /**
         * The step reads only the other step's status (SPEC section 2): it reacts to how that
         * step ended, so a failure there does not block it.
         */
        public boolean readsOnlyStatus() {
            return kind == Kind.READS && parts.equals(Set.of("status"));
        }
    }

    private final List<String> order;
    private final Map<String, Map<String, Edge>> deps = new LinkedHashMap<>();

    public StepGraph(Runbook runbook) {
        this.order = new ArrayList<>();
        for (Step s : runbook.allSteps()) {
            order.add(s.id());
            deps.put(s.id(), new LinkedHashMap<>());
        }
    }

    public void addNeeds(String from, String to) {
        Map<String, Edge> m = deps.get(from);
        Edge old = m.get(to);
        if (old == null) {
            m.put(to, new Edge(from, to, Kind.NEEDS, new LinkedHashSet<>(), new LinkedHashSet<>(Set.of("needs"))));
        }
    }

    /**
     * Records that {@code from} reads {@code part} ({@code status}, {@code outputs} or the whole
     * {@code step}) of {@code to}; {@code output} names the output read, or is null.
     */
    public void addRead(String from, String to, String part, String output) {
        Map<String, Edge> m = deps.get(from);
        Edge e = m.get(to);
        if (e == null) {
            e = new Edge(from, to, Kind.READS, new LinkedHashSet<>(), new LinkedHashSet<>());
            m.put(to, e);
        } else if (e.kind() == Kind.NEEDS) {
            Edge merged = new Edge(from, to, Kind.READS, new LinkedHashSet<>(e.outputs()), new LinkedHashSet<>(e.parts()));
            m.put(to, merged);
            e = merged;
        }
        e.parts().add(part);
        if (output != null) {
            e.outputs().add(output);
        }
    }

    /** Step ids in execution order. */
    public List<String> order() {
        return Collections.unmodifiableList(order);
    }

    public List<Edge> edgesFrom(String id) {
        Map<String, Edge> m = deps.get(id);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    public List<Edge> edges() {
        List<Edge> out = new ArrayList<>();
        for (String id : order) {
            out.addAll(deps.get(id).values());
        }
        return out;
    }

    /** Every step that {@code id} depends on, directly or not. */
    public Set<String> upstream(String id) {
        Set<String> seen = new LinkedHashSet<>();
        List<String> todo = new ArrayList<>(List.of(id));
        while (!todo.isEmpty()) {
            String cur = todo.remove(todo.size() - 1);
            for (Edge e : edgesFrom(cur)) {
                if (seen.add(e.to())) {
                    todo.add(e.to());
                }
            }
        }
        return seen;
    }

    /** Steps that depend on {@code id}, directly or not. */
    public Set<String> downstream(String id) {
        // Edges only point backwards, so one pass in order finds every transitive dependent.
        Set<String> out = new LinkedHashSet<>();
        for (String s : order) {
            for (Edge e : edgesFrom(s)) {
                if (e.to().equals(id) || out.contains(e.to())) {
                    out.add(s);
                    break;
                }
            }
        }
        return out;
    }
}
