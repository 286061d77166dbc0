package dev.runbook.expr;

import dev.runbook.lang.Problems;
import dev.runbook.lang.yaml.YScalar;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed and checked templates by scalar, so that rendering at run time reuses the
 * expressions the checker compiled instead of compiling them again.
 */
public final class Templates {
    private static final Map<YScalar, Template> CACHE = new ConcurrentHashMap<>();

    private Templates() {
    }

    public static void remember(Template t) {
        CACHE.put(t.scalar(), t);
    }

    /** The template of a string scalar; parses (and later compiles lazily) if not seen yet. */
    public static Template of(YScalar s) {
        Template t = CACHE.get(s);
        if (t == null) {
            t = Template.parse(s, new Problems("<template>"));
            CACHE.put(s, t);
        }
        return t;
    }
}
