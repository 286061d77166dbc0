package dev.runbook.lang.model;

import dev.runbook.lang.yaml.YMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A checked runbook: the typed form of one file. Values that may hold {@code ${{ }}} templates
 * stay {@link dev.runbook.lang.yaml.YNode}s so that they can be rendered later with positions.
 *
 * @param file   the path as the user wrote it, used in every diagnostic
 * @param source the file's text, kept for the run directory's copy and for hashing
 */
public record Runbook(
        String file,
        String source,
        String apiVersion,
        String name,
        String title,
        String description,
        Map<String, Param> params,
        List<Var> vars,
        Map<String, Target> targets,
        Defaults defaults,
        List<Step> steps,
        List<Step> onFailure,
        YMap root) {

    /** Every step in execution order: top-level steps with group members after their group. */
    public List<Step> allSteps() {
        List<Step> out = new ArrayList<>();
        flatten(steps, out);
        flatten(onFailure, out);
        return out;
    }

    /** Main steps only (no onFailure), flattened in execution order. */
    public List<Step> mainSteps() {
        List<Step> out = new ArrayList<>();
        flatten(steps, out);
        return out;
    }

    public List<Step> failureSteps() {
        List<Step> out = new ArrayList<>();
        flatten(onFailure, out);
        return out;
    }

    private static void flatten(List<Step> steps, List<Step> out) {
        for (Step s : steps) {
            out.add(s);
            if (s.action() instanceof Action.Group g) {
                flatten(g.steps(), out);
            }
        }
    }

    /** Whether {@code name} is a param declared {@code secret}: the one test of it. */
    public boolean isSecretParam(String name) {
        Param p = params == null ? null : params.get(name);
        return p != null && p.secret();
    }

    /** The values of the secret params among {@code values}: what a run's redactor masks from the start. */
    public java.util.List<Object> secretParamValues(Map<String, Object> values) {
        java.util.List<Object> out = new java.util.ArrayList<>();
        values.forEach((k, v) -> {
            if (isSecretParam(k) && v != null) {
                out.add(v);
            }
        });
        return out;
    }

    /** {@code values} without the secret params: what may be shown and written. */
    public Map<String, Object> publicParams(Map<String, Object> values) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (!isSecretParam(k)) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    public Step step(String id) {
        for (Step s : allSteps()) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }
}
