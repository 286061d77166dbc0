package dev.runbook.engine;

import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Step;

/** Error messages made clearer with what the run knows: why a value a step reads is missing. */
final class Hints {
    private final StepGraph graph;
    private final RunState state;

    Hints(StepGraph graph, RunState state) {
        this.graph = graph;
        this.state = state;
    }

    /**
     * Adds why a value is missing when an expression read a key that is not there
     * ({@code missingKey}) and the step reads a step that did not run.
     */
    String explain(Step s, String message, boolean missingKey) {
        if (message == null || !missingKey) {
            return message;
        }
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            StepResult r = state.result(e.to());
            if (e.kind() == StepGraph.Kind.READS && !e.outputs().isEmpty() && r != null
                    && (r.state() == StepState.SKIPPED || r.state() == StepState.SATISFIED)) {
                return message + " (step '" + e.to() + "' was " + r.state().word() + ", so it has no outputs)";
            }
        }
        return message;
    }

    /** How an expression's value is named in an error: its YAML kind, and the text of a string. */
    static String kindOf(Object v) {
        return dev.runbook.lang.yaml.YScalar.kindOf(v) + (v instanceof String str ? " '" + str + "'" : "");
    }
}
