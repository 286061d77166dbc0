package dev.runbook.actions.kubectl;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.Requirement;
import dev.runbook.kube.AccessCheck;
import dev.runbook.kube.KubeConnection;
import dev.runbook.kube.KubeException;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * What a dry run checks before its first kubectl step: the target's API server answers, and
 * its credentials may do what the step's verb needs (as {@code kubectl auth can-i}).
 */
final class KubePreflight {
    private KubePreflight() {
    }

    static List<Requirement> check(Step step, ActionContext ctx) {
        Action.Kubectl k = (Action.Kubectl) step.action();
        List<Requirement> out = new ArrayList<>();
        Target.Kubernetes target;
        KubeConnection connection;
        String what;
        try {
            target = KubeTargets.targetOf(ctx.run().runbook(), k.on());
        } catch (ActionException e) {
            return List.of(new Requirement("kubernetes target for step " + step.id(), false, e.getMessage(), List.of()));
        }
        what = "kubernetes target " + KubeTargets.label(target);
        connection = reachable(ctx, target, out);
        if (connection == null) {
            return out;
        }
        AccessCheck access = new AccessCheck(connection);
        KubectlCall call;
        try {
            call = KubectlCall.render(k, ctx);
        } catch (ActionException e) {
            return out; // values only the run will know: the step itself will say
        }
        for (Need need : needs(call)) {
            if (need.resource() == null || need.resource().contains("${{")
                    || (call.namespace() != null && call.namespace().contains("${{"))) {
                continue;
            }
            String label = what + ": " + need.verb() + " " + need.resource();
            try {
                AccessCheck.Access a = access.can(need.verb(), need.resource(), call.namespace());
                out.add(new Requirement(label, a.allowed(), a.allowed() ? "allowed" : a.reason(), List.of()));
            } catch (KubeException e) {
                out.add(new Requirement(label, false, e.getMessage(), List.of()));
            }
        }
        return out;
    }

    /**
     * Adds whether {@code target}'s API server answers to {@code out}; the connection when it
     * does, else null.
     */
    static KubeConnection reachable(ActionContext ctx, Target.Kubernetes target, List<Requirement> out) {
        String what = "kubernetes target " + KubeTargets.label(target);
        KubeConnection connection;
        try {
            connection = KubeTargets.connect(ctx, target);
        } catch (ActionException e) {
            out.add(new Requirement(what, false, e.getMessage(), List.of()));
            return null;
        }
        try {
            String version = new AccessCheck(connection).ping();
            out.add(new Requirement(what, true, connection.server() + " answers (" + version + ")", List.of()));
            return connection;
        } catch (KubeException e) {
            out.add(new Requirement(what, false, e.getMessage(), List.of()));
            return null;
        }
    }

    /** One API permission a verb needs. */
    private record Need(String verb, String resource) {
    }

    private static List<Need> needs(KubectlCall call) {
        String resource = call.resource();
        return switch (call.verb()) {
            case "get" -> List.of(new Need(call.name() == null ? "list" : "get", resource));
            case "export" -> List.of(new Need("get", resource));
            case "patch" -> List.of(new Need("patch", resource));
            case "delete" -> List.of(new Need("delete", resource));
            case "logs" -> List.of(new Need("get", "pods"));
            case "exec" -> List.of(new Need("get", "pods"));
            // apply's kinds are in the manifest: the server-side dry run of the step checks them.
            default -> List.of();
        };
    }
}
