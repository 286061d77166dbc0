package dev.runbook.actions.kubectl;

import dev.runbook.actions.Values;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.lang.model.Action;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One kubectl step with every value rendered: what {@link KubectlInvocation} runs, and what a
 * plan or a would-run step shows.
 *
 * @param manifest the manifest of {@code apply} (a map or YAML text), or the path of {@code applyFile}
 * @param patch    {@code merge}: a map (merge patch) or a list (JSON patch)
 * @param command  exec's argv
 * @param allowExitCodes exec's non-zero exit codes that are a result rather than a failure (null: none)
 */
record KubectlCall(String verb, String resource, String name, String namespace, String selector, String fieldSelector,
                   Object manifest, Object patch, String pod, String container, Long tail, List<String> command,
                   String to, List<String> strip, List<Integer> allowExitCodes) {

    static KubectlCall render(Action.Kubectl k, ActionContext ctx) throws ActionException {
        String pod = null;
        String container = null;
        Long tail = null;
        List<String> command = null;
        if (ctx.render(k.logs(), "logs") instanceof Map<?, ?> logs) {
            pod = text(logs.get("pod"));
            container = text(logs.get("container"));
            tail = count(logs.get("tail"), "logs.tail", ctx.preview());
        }
        if (ctx.render(k.exec(), "exec") instanceof Map<?, ?> exec) {
            pod = text(exec.get("pod"));
            container = text(exec.get("container"));
            command = Values.argv(exec.get("command"), "exec.command");
        }
        if ((k.verb().equals("logs") || k.verb().equals("exec")) && (pod == null || pod.isBlank())) {
            throw new ActionException(ActionException.Kind.INVALID, "kubectl " + k.verb() + " needs a pod");
        }
        Object manifest = k.verb().equals("applyFile") ? ctx.string(k.manifest(), "applyFile") : ctx.render(k.manifest(), "apply");
        List<String> strip = null;
        Object stripValue = ctx.render(k.strip(), "strip");
        if (stripValue instanceof List<?> l) {
            strip = new ArrayList<>();
            for (Object o : l) {
                strip.add(String.valueOf(o));
            }
        } else if (stripValue != null) {
            strip = List.of(String.valueOf(stripValue));
        }
        return new KubectlCall(k.verb(), ctx.string(k.resource(), "resource"), ctx.string(k.name(), "name"),
                blankToNull(ctx.string(k.namespace(), "namespace")), blankToNull(ctx.string(k.selector(), "selector")),
                blankToNull(ctx.string(k.fieldSelector(), "fieldSelector")), manifest, ctx.render(k.merge(), "merge"),
                pod, container, tail, command, ctx.string(k.to(), "to"), strip, k.allowExitCodes());
    }

    /** get and logs only read; the other verbs change the cluster or write a file. */
    boolean mutates() {
        return !verb.equals("get") && !verb.equals("logs");
    }

    /** Exactly what would run, for plans and would-run steps. */
    Map<String, Object> describe(String target) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("verb", verb);
        put(d, "resource", resource);
        put(d, "name", name);
        put(d, "namespace", namespace);
        put(d, "selector", selector);
        put(d, "fieldSelector", fieldSelector);
        put(d, verb.equals("applyFile") ? "file" : "manifest", manifest);
        put(d, "merge", patch);
        put(d, "pod", pod);
        put(d, "container", container);
        put(d, "tail", tail);
        put(d, "command", command);
        put(d, "to", to);
        put(d, "strip", strip);
        put(d, "allowExitCodes", allowExitCodes);
        d.put("target", target);
        return d;
    }

    private static void put(Map<String, Object> d, String key, Object value) {
        if (value != null) {
            d.put(key, value);
        }
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Long count(Object o, String field, boolean preview) throws ActionException {
        if (o == null) {
            return null;
        }
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(o).strip());
        } catch (NumberFormatException e) {
            if (preview) {
                return null;
            }
            throw new ActionException(ActionException.Kind.INVALID, field + " must be a count of lines, not '" + o + "'");
        }
    }
}
