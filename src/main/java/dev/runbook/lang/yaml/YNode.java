package dev.runbook.lang.yaml;

import dev.runbook.lang.Pos;

/**
 * A YAML node that remembers where it was written. The loader produces these so that every
 * later stage can point a diagnostic at the exact key or value.
 */
public sealed interface YNode permits YMap, YSeq, YScalar {
    Pos pos();

    /** Plain Java value: LinkedHashMap, ArrayList, String, Long, Double, Boolean or null. */
    Object toPlain();

    /** A short word for messages: "a map", "a list", "a string", ... */
    String kind();
}
