package dev.runbook.engine;

import dev.runbook.expr.Expr;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A dry run's checks before its first step (SPEC section 6): everything a real run would need,
 * asked of each step's handler. Steps whose {@code when} is already known to be false (from
 * params alone) are left out; steps whose condition depends on other steps are included, since
 * a real run may reach them.
 */
final class Preflight {
    private Preflight() {
    }

    static List<Requirement> check(Runbook rb, Map<String, Object> base, HandlerSource handlers,
                                   Function<Step, ActionContext> context) {
        Map<String, Object> known = new LinkedHashMap<>(base);
        known.remove("steps");
        Map<String, Requirement> merged = new LinkedHashMap<>();
        List<Step> roots = new ArrayList<>(rb.steps());
        roots.addAll(rb.onFailure());
        collect(roots, known, handlers, context, merged);
        return List.copyOf(merged.values());
    }

    private static void collect(List<Step> steps, Map<String, Object> known, HandlerSource handlers,
                                Function<Step, ActionContext> context, Map<String, Requirement> merged) {
        for (Step s : steps) {
            if (knownFalse(s.when(), known)) {
                continue;
            }
            if (s.action() instanceof Action.Group g) {
                collect(g.steps(), known, handlers, context, merged);
                continue;
            }
            List<Requirement> reqs;
            try {
                reqs = handlers.of(s).requirements(s, context.apply(s));
            } catch (RuntimeException e) {
                reqs = List.of(new Requirement("step " + s.id(), false, "cannot be checked: " + e.getMessage(), List.of(s.id())));
            }
            for (Requirement r : reqs) {
                String key = r.what() + '\0' + r.ok() + '\0' + r.detail();
                Requirement old = merged.get(key);
                if (old == null) {
                    merged.put(key, new Requirement(r.what(), r.ok(), r.detail(), List.of(s.id())));
                } else {
                    List<String> ids = new ArrayList<>(old.steps());
                    ids.add(s.id());
                    merged.put(key, new Requirement(old.what(), old.ok(), old.detail(), ids));
                }
            }
        }
    }

    private static boolean knownFalse(Expr when, Map<String, Object> known) {
        if (when == null || !Renderer.knowable(when, known.keySet())) {
            return false;
        }
        try {
            return Boolean.FALSE.equals(Renderer.evaluate(when, known));
        } catch (Exception e) {
            return false;
        }
    }
}
