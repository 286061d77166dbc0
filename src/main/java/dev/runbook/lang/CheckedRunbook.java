package dev.runbook.lang;

import dev.runbook.expr.CompiledExpressions;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Runbook;

/**
 * The output of loading and checking: a valid runbook, its step graph, the action types it
 * was read with, and its templates and expressions as the checker parsed and compiled them,
 * which the planner and the engine use in turn.
 */
public record CheckedRunbook(Runbook runbook, StepGraph graph, ActionCatalog actions, CompiledExpressions expressions) {
}
