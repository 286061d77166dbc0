package dev.runbook.actions.kubectl;

import dev.runbook.actions.ssh.Tunnels;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.kube.KubeClients;
import dev.runbook.kube.KubeConnection;
import dev.runbook.kube.KubeException;
import dev.runbook.kube.KubeTarget;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a kubectl step connects (SPEC section 1): its {@code on:} target, else
 * {@code defaults.target}, else the only kubernetes target, else the current kubeconfig context.
 * One connection per target per run, closed when the run ends.
 */
final class KubeTargets {
    /** The name under which the current kubeconfig context is kept among the run's connections. */
    static final String CURRENT_CONTEXT = "(current kubeconfig context)";

    private KubeTargets() {
    }

    /** The kubernetes target a step uses, or null for the current kubeconfig context. */
    static Target.Kubernetes targetOf(Runbook rb, String on) throws ActionException {
        String name = on != null ? on : rb.defaults().target();
        if (name == null) {
            return onlyTarget(rb);
        }
        Target t = rb.targets().get(name);
        if (t instanceof Target.Kubernetes k) {
            return k;
        }
        // The loader checks this; a step can still get here through a target named by defaults only.
        throw new ActionException(ActionException.Kind.INVALID, "target '" + name + "' is not a kubernetes target");
    }

    /** The runbook's only kubernetes target, or null (none, or several: the current context). */
    static Target.Kubernetes onlyTarget(Runbook rb) {
        List<Target> kube = rb.targets().values().stream().filter(t -> t instanceof Target.Kubernetes).toList();
        return kube.size() == 1 ? (Target.Kubernetes) kube.get(0) : null;
    }

    /** How the target is named in messages and in the run's resources. */
    static String label(Target.Kubernetes target) {
        return target == null ? CURRENT_CONTEXT : target.name();
    }

    /** The run's connection for {@code target} (null: the current context), opened on first use. */
    static KubeConnection connect(ActionContext ctx, Target.Kubernetes target) throws ActionException {
        String key = "kube:" + label(target);
        // Only the first use renders the target and opens a tunnel: the target's fields read
        // params and vars only, so every later step would get the same answer.
        try {
            return ctx.run().resource(key, () -> {
                try {
                    return recipe(ctx, target).open();
                } catch (ActionException e) {
                    throw new NotOpened(e);
                }
            });
        } catch (NotOpened e) {
            throw e.reason;
        } catch (KubeException e) {
            throw Failures.of(e);
        }
    }

    /** Carries a rendering or tunnel failure out of the resource supplier. */
    private static final class NotOpened extends RuntimeException {
        final ActionException reason;

        NotOpened(ActionException reason) {
            super(reason.getMessage(), null, false, false);
            this.reason = reason;
        }
    }

    /** Everything needed to open one connection, with the target's fields rendered. */
    private record Recipe(KubeTarget target, Map<String, String> env, Tunnels.Through tunnel, String context) {
        KubeConnection open() {
            if (tunnel != null) {
                return KubeClients.open(tunnel.kubeconfigYaml(), context, target.namespace(), tunnel.serverUrl());
            }
            return KubeClients.open(target, env, Path.of(System.getProperty("user.home")));
        }
    }

    private static Recipe recipe(ActionContext ctx, Target.Kubernetes target) throws ActionException {
        SimulatedWorld world = ctx.run().world();
        String namespace = target == null ? null : ctx.string(target.namespace(), "the namespace of target " + target.name());
        if (blank(namespace)) {
            namespace = ctx.string(ctx.run().runbook().defaults().namespace(), "defaults.namespace");
        }
        if (world != null) {
            // A sandbox run: every kubernetes target is the simulated cluster, whatever it names.
            String ns = blank(namespace) ? world.namespace() : namespace;
            return new Recipe(new KubeTarget(world.kubeconfig().toString(), "sandbox", ns), Map.of(), null, null);
        }
        String namespaceOrNull = blank(namespace) ? null : namespace;
        if (target == null) {
            return new Recipe(new KubeTarget(null, null, namespaceOrNull), ctx.options().env(), null, null);
        }
        String kubeconfig = ctx.string(target.kubeconfig(), "the kubeconfig of target " + target.name());
        String context = ctx.string(target.context(), "the context of target " + target.name());
        if (target.via() != null) {
            Tunnels.Through through = Tunnels.kubeconfigVia(ctx, target);
            return new Recipe(new KubeTarget(null, context, namespaceOrNull), Map.of(), through, context);
        }
        // A relative kubeconfig is in the run's working directory; ~/... stays for the client to expand.
        String file = blank(kubeconfig) ? null
                : kubeconfig.startsWith("~") ? kubeconfig : ctx.localPath(kubeconfig).toString();
        return new Recipe(new KubeTarget(file, blank(context) ? null : context, namespaceOrNull),
                ctx.options().env(), null, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
