package dev.runbook.lang.yaml;

import dev.runbook.lang.Pos;
import java.util.ArrayList;
import java.util.List;

/** A YAML sequence. */
public record YSeq(Pos pos, List<YNode> items) implements YNode {
    public YSeq {
        items = List.copyOf(items);
    }

    @Override
    public Object toPlain() {
        List<Object> l = new ArrayList<>(items.size());
        for (YNode n : items) {
            l.add(n.toPlain());
        }
        return l;
    }

    @Override
    public String kind() {
        return "a list";
    }
}
