package dev.runbook.journal;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hashes that let a resume tell what changed in a runbook since its run began.
 *
 * <p>A step's hash is the sha-256 of the canonical JSON of its YAML value: keys sorted, no
 * whitespace, scalars as their resolved values. So comments, indentation, quoting style, key
 * order and anything outside the step leave it alone, and any edit to the step changes it. A
 * group's hash leaves out its nested {@code steps}: those have hashes of their own, and editing
 * one member must not mark the whole group, and its earlier members, as changed.
 *
 * <p>What a step's hash does not cover: {@code defaults}, {@code vars}, {@code targets} and
 * {@code params} that it uses. Those are covered together by {@link #context}, recorded at the
 * start of a run, so a resume can say that they changed.
 */
public final class DefinitionHash {
    private DefinitionHash() {
    }

    /** The hash of one step's definition. */
    public static String of(Step step) {
        Object plain = step.source().toPlain();
        if (step.action() != null && step.action() instanceof Action.Group && plain instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>(m);
            Object group = copy.get("group");
            if (group instanceof Map<?, ?> g) {
                Map<Object, Object> inner = new LinkedHashMap<>(g);
                inner.remove("steps");
                copy.put("group", inner);
            }
            plain = copy;
        }
        return sha256(canonical(plain));
    }

    /** The hash of the runbook's text, byte for byte: did anything at all change? */
    public static String ofText(String text) {
        return sha256(text);
    }

    /**
     * The hash of everything outside the steps that steps depend on: apiVersion, name, params,
     * vars, targets, defaults. Titles and descriptions are left out: they change no behaviour.
     */
    public static String context(Runbook rb) {
        Map<String, Object> m = new LinkedHashMap<>();
        YMap root = rb.root();
        if (root != null) {
            for (YMap.Entry e : root.entries()) {
                switch (e.name()) {
                    case "steps", "onFailure", "title", "description" -> { }
                    default -> m.put(e.name(), e.value().toPlain());
                }
            }
        }
        return sha256(canonical(m));
    }

    /** Every step of the runbook in execution order, with its hash. */
    public static List<StepDef> defs(Runbook rb) {
        List<StepDef> out = new ArrayList<>();
        Set<String> failure = new LinkedHashSet<>();
        for (Step s : rb.failureSteps()) {
            failure.add(s.id());
        }
        for (Step s : rb.allSteps()) {
            out.add(new StepDef(s.id(), s.title(), s.group(), of(s), failure.contains(s.id())));
        }
        return out;
    }

    /**
     * What differs between the steps a run recorded and a runbook now.
     *
     * @param changed steps of {@code now} that are new or whose definition differs, in execution order
     * @param removed steps recorded before that {@code now} no longer has
     */
    public record Changes(List<String> changed, List<String> removed) {
        public boolean isEmpty() {
            return changed.isEmpty() && removed.isEmpty();
        }

        /** The first changed step: it and everything after it run again. Null when none changed. */
        public String firstChanged() {
            return changed.isEmpty() ? null : changed.get(0);
        }
    }

    public static Changes diff(List<StepDef> before, List<StepDef> now) {
        Map<String, String> old = new LinkedHashMap<>();
        for (StepDef d : before) {
            old.put(d.id(), d.sha256());
        }
        List<String> changed = new ArrayList<>();
        Set<String> present = new LinkedHashSet<>();
        for (StepDef d : now) {
            present.add(d.id());
            if (!d.sha256().equals(old.get(d.id()))) {
                changed.add(d.id());
            }
        }
        List<String> removed = new ArrayList<>();
        for (String id : old.keySet()) {
            if (!present.contains(id)) {
                removed.add(id);
            }
        }
        return new Changes(List.copyOf(changed), List.copyOf(removed));
    }

    /** Canonical JSON: sorted keys, no whitespace. */
    static String canonical(Object plain) {
        return Json.write(Json.sorted(Json.plain(plain, null)));
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
