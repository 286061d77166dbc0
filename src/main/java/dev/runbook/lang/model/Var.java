package dev.runbook.lang.model;

import dev.runbook.lang.Pos;
import dev.runbook.lang.yaml.YNode;

/** A named value computed from params (and earlier vars) when a run starts. */
public record Var(String name, YNode value, Pos pos) {
}
