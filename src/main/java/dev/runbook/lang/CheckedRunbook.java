package dev.runbook.lang;

import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Runbook;

/**
 * The output of loading and checking: a valid runbook, its step graph, and the action types it
 * was read with, which the planner and the engine use in turn.
 */
public record CheckedRunbook(Runbook runbook, StepGraph graph, ActionCatalog actions) {
}
