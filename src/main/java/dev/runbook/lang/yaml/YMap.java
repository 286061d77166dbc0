package dev.runbook.lang.yaml;

import dev.runbook.lang.Pos;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML mapping whose keys are strings, in file order. */
public record YMap(Pos pos, List<Entry> entries) implements YNode {

    /** One key and its value; the key keeps its own position. */
    public record Entry(YScalar key, YNode value) {
        public String name() {
            return key.text();
        }
    }

    public YMap {
        entries = List.copyOf(entries);
    }

    public Entry entry(String key) {
        // An index loop: this runs for every field lookup of every step, and with the quick JIT
        // the CLI runs under, an iterator is a real allocation each time.
        for (int i = 0, n = entries.size(); i < n; i++) {
            Entry e = entries.get(i);
            if (e.name().equals(key)) {
                return e;
            }
        }
        return null;
    }

    public YNode get(String key) {
        Entry e = entry(key);
        return e == null ? null : e.value();
    }

    public boolean has(String key) {
        return entry(key) != null;
    }

    /** Position of a key, or of this map when the key is absent. */
    public Pos keyPos(String key) {
        Entry e = entry(key);
        return e == null ? pos : e.key().pos();
    }

    @Override
    public Object toPlain() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            m.put(e.name(), e.value().toPlain());
        }
        return m;
    }

    @Override
    public String kind() {
        return "a map";
    }
}
