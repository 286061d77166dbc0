package dev.runbook.graph;

import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.Effect;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;

/** Draws the step graph as Mermaid (for markdown) or Graphviz dot. */
public final class GraphPrinter {
    private GraphPrinter() {
    }

    public static String mermaid(CheckedRunbook c) {
        Runbook rb = c.runbook();
        StepGraph g = c.graph();
        StringBuilder sb = new StringBuilder("flowchart TD\n");
        for (Step s : rb.allSteps()) {
            sb.append("  ").append(node(s.id())).append("[\"").append(escape(s.id() + (s.title() != null ? ": " + s.title() : "")))
                    .append(" ").append(Effect.ofDefinition(s, c.actions()).tag()).append("\"]\n");
        }
        String prev = null;
        for (Step s : rb.mainSteps()) {
            if (prev != null && s.group() == null) {
                sb.append("  ").append(node(prev)).append(" -.-> ").append(node(s.id())).append('\n');
            }
            if (s.group() == null) {
                prev = s.id();
            }
        }
        for (StepGraph.Edge e : g.edges()) {
            String label = e.kind() == StepGraph.Kind.NEEDS ? "needs" : e.outputs().isEmpty() ? "reads" : String.join(", ", e.outputs());
            sb.append("  ").append(node(e.to())).append(" -->|").append(escape(label)).append("| ").append(node(e.from())).append('\n');
        }
        return sb.toString();
    }

    public static String dot(CheckedRunbook c) {
        Runbook rb = c.runbook();
        StepGraph g = c.graph();
        StringBuilder sb = new StringBuilder("digraph \"" + rb.name() + "\" {\n  rankdir=TB;\n  node [shape=box];\n");
        for (Step s : rb.allSteps()) {
            sb.append("  \"").append(s.id()).append("\" [label=\"").append(escape(s.id() + (s.title() != null ? "\\n" + s.title() : "")))
                    .append("\\n").append(Effect.ofDefinition(s, c.actions()).tag()).append("\"];\n");
        }
        for (StepGraph.Edge e : g.edges()) {
            String label = e.kind() == StepGraph.Kind.NEEDS ? "needs" : e.outputs().isEmpty() ? "reads" : String.join(", ", e.outputs());
            sb.append("  \"").append(e.to()).append("\" -> \"").append(e.from()).append("\" [label=\"").append(escape(label)).append("\"];\n");
        }
        return sb.append("}\n").toString();
    }

    private static String node(String id) {
        return "s_" + id.replace('-', '_');
    }

    private static String escape(String s) {
        return s.replace("\"", "'");
    }
}
