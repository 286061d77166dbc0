package dev.runbook.lang;

import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Runbook;

/** The output of loading and checking: a valid runbook and its step graph. */
public record CheckedRunbook(Runbook runbook, StepGraph graph) {
}
