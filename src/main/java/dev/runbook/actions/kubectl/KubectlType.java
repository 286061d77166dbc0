package dev.runbook.actions.kubectl;

import dev.runbook.actions.ActionType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionChecks;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code kubectl}: one Kubernetes API verb; get and logs are reads, every other verb writes. */
public final class KubectlType implements ActionType<Action.Kubectl> {
    public static final List<String> VERBS = List.of("get", "apply", "applyFile", "patch", "delete", "logs", "exec", "export");

    @Override
    public String keyword() {
        return "kubectl";
    }

    @Override
    public Class<Action.Kubectl> type() {
        return Action.Kubectl.class;
    }

    @Override
    public Action.Kubectl read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        String id = r.id();
        List<String> verbs = new ArrayList<>();
        for (String verb : VERBS) {
            if (m.has(verb)) {
                verbs.add(verb);
            }
        }
        verbs.sort((a, b) -> m.keyPos(a).compareTo(m.keyPos(b)));
        if (verbs.isEmpty()) {
            if (!m.hasUnknownKeys()) {
                r.error(r.at(), "kubectl in step '" + id + "' needs a verb: one of " + String.join(", ", VERBS));
            }
            return null;
        }
        if (verbs.size() > 1) {
            r.error(m.keyPos(verbs.get(1)), "kubectl in step '" + id + "' has more than one verb ('"
                    + verbs.get(0) + "' and '" + verbs.get(1) + "'): one verb per step");
        }
        String verb = verbs.get(0);
        // A typo'd key was reported by the schema with a did-you-mean; the "needs ..." checks
        // would only say the same thing again, less precisely.
        if (!m.hasUnknownKeys()) {
            requireFor(r, m, verb, Set.of("patch", "delete", "export"), "name");
            requireFor(r, m, verb, Set.of("patch"), "merge");
            requireFor(r, m, verb, Set.of("export"), "to");
        }
        onlyFor(r, m, verb, Set.of("patch"), "merge");
        onlyFor(r, m, verb, Set.of("export"), "to");
        onlyFor(r, m, verb, Set.of("export"), "strip");
        onlyFor(r, m, verb, Set.of("get"), "selector");
        onlyFor(r, m, verb, Set.of("get"), "fieldSelector");
        onlyFor(r, m, verb, Set.of("get", "patch", "delete", "export"), "name");
        onlyFor(r, m, verb, Set.of("exec"), "allowExitCodes");
        Section exec = m.section("exec", "kubectlExec");
        if (exec != null) {
            r.argv(exec.get("command"), "command", "for example: command: [df, -Pk, /var/lib/cassandra]");
        }
        YNode resource = switch (verb) {
            case "get", "patch", "delete", "export" -> m.get(verb);
            default -> null;
        };
        YNode manifest = verb.equals("apply") ? m.get("apply") : verb.equals("applyFile") ? m.get("applyFile") : null;
        return new Action.Kubectl(verb, resource, m.get("name"), m.get("namespace"), m.get("selector"),
                m.get("fieldSelector"), manifest, m.get("merge"), m.get("logs"), m.get("exec"), m.get("to"),
                m.get("strip"), m.has("allowExitCodes") ? r.exitCodes(m) : null, m.string("on"));
    }

    private static void requireFor(ActionReader r, Section m, String verb, Set<String> verbs, String key) {
        if (verbs.contains(verb) && !m.has(key)) {
            r.error(m.keyPos(verb), "kubectl " + verb + " in step '" + r.id() + "' needs '" + key + "'");
        }
    }

    private static void onlyFor(ActionReader r, Section m, String verb, Set<String> verbs, String key) {
        if (!verbs.contains(verb) && m.has(key)) {
            r.error(m.keyPos(key), "'" + key + "' does not apply to kubectl " + verb + " (step '" + r.id() + "')");
        }
    }

    @Override
    public List<YNode> templated(Action.Kubectl k) {
        return ActionType.fields(k.resource(), k.name(), k.namespace(), k.selector(), k.fieldSelector(),
                k.manifest(), k.merge(), k.logs(), k.exec(), k.to(), k.strip());
    }

    @Override
    public void check(Action.Kubectl k, ActionChecks checks) {
        checks.targetRef(k.on(), Target.Kubernetes.class, "a kubernetes");
        Runbook rb = checks.runbook();
        Target dflt = rb.defaults().target() == null ? null : rb.targets().get(rb.defaults().target());
        if (k.on() == null && dflt != null && !(dflt instanceof Target.Kubernetes)) {
            checks.error(checks.step().source().keyPos("kubectl"), "kubectl in step '" + checks.step().id()
                    + "' has no 'on', so it would run on defaults.target '" + dflt.name() + "', which is "
                    + Target.kindWords(dflt) + " target", "give the step on: with a kubernetes target");
        }
    }

    /** get, apply and patch give the object itself, whose fields only the server knows. */
    @Override
    public Set<String> resultFields(Action.Kubectl k) {
        return switch (k.verb()) {
            case "logs" -> Set.of("text", "lines");
            case "exec" -> Set.of("stdout", "stderr", "exitCode");
            case "export" -> Set.of("path", "kind", "name");
            default -> null;
        };
    }

    @Override
    public Effect effect(Action.Kubectl k, Function<YNode, Object> value) {
        return k.verb().equals("get") || k.verb().equals("logs") ? Effect.READ : Effect.MUTATES;
    }

    @Override
    public void plan(Action.Kubectl k, PlanFields out) {
        out.putValue("verb", k.verb());
        out.put("resource", k.resource());
        out.put("name", k.name());
        out.put("namespace", k.namespace() != null ? k.namespace() : out.runbook().defaults().namespace());
        out.put("selector", k.selector());
        out.put("fieldSelector", k.fieldSelector());
        out.put(k.verb().equals("applyFile") ? "file" : "manifest", k.manifest());
        out.put("merge", k.merge());
        out.put("logs", k.logs());
        out.put("exec", k.exec());
        out.put("to", k.to());
        out.put("strip", k.strip());
        if (k.allowExitCodes() != null) {
            out.putValue("allowExitCodes", k.allowExitCodes());
        }
        out.putValue("target", out.kubeTarget(k.on()));
    }

    @Override
    public String summary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        sb.append("kubectl ").append(a.get("verb"));
        if (a.containsKey("resource")) {
            sb.append(' ').append(PlanText.format(a.get("resource")));
        }
        PlanText.keyValues(sb, a, List.of("name", "namespace", "selector", "fieldSelector", "file", "to"));
        // logs and exec: their pod, container and tail read like the other keys.
        for (String verb : List.of("logs", "exec")) {
            if (a.get(verb) instanceof Map<?, ?> m) {
                PlanText.keyValues(sb, m, List.of("pod", "container", "tail"));
            }
        }
        sb.append("  (target ").append(a.get("target")).append(')');
        if (a.get("exec") instanceof Map<?, ?> m && m.get("command") instanceof List<?> argv) {
            sb.append("\n$ ").append(PlanText.argvLine(argv));
        } else if (a.get("exec") instanceof Map<?, ?> m && m.containsKey("command")) {
            sb.append("\n$ ").append(PlanText.format(m.get("command")));
        }
        for (String k : List.of("manifest", "merge")) {
            if (a.containsKey(k)) {
                sb.append('\n').append(k).append(':').append(PlanText.block(a.get(k)));
            }
        }
        for (String k : List.of("strip", "allowExitCodes")) {
            if (a.containsKey(k)) {
                sb.append('\n').append(k).append(": ").append(PlanText.format(a.get(k)));
            }
        }
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new KubectlHandler();
    }
}
