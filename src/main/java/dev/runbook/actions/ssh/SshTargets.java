package dev.runbook.actions.ssh;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.ssh.SshConnections;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a runbook's ssh target (SPEC section 1) into the {@link SshTarget} the SSH layer
 * connects to: its fields rendered, the password registered as a secret, and in a sandbox run
 * the simulated host put in place of the real one. Also holds the run's one
 * {@link SshConnections}, shared by every step that reaches an ssh host.
 */
public final class SshTargets {
    /** Any password is accepted by a simulated host; one is offered so no local key is needed. */
    static final String SANDBOX_PASSWORD = "sandbox";

    private SshTargets() {
    }

    /**
     * The connections of this run, closed when the run ends. The ssh-agent is the one of the
     * run's environment (SSH_AUTH_SOCK), as for every other thing the run takes from it.
     */
    public static SshConnections connections(ActionContext ctx) {
        return ctx.run().resource("ssh", () -> new SshConnections(ctx.options().env().get("SSH_AUTH_SOCK")));
    }

    /** The ssh target named {@code name}, or a clear failure when there is none of that kind. */
    public static Target.Ssh named(ActionContext ctx, String name) throws ActionException {
        Target t = ctx.run().runbook().targets().get(name);
        if (t instanceof Target.Ssh ssh) {
            return ssh;
        }
        if (t == null) {
            throw new ActionException("there is no target named '" + name + "'");
        }
        throw new ActionException("target '" + name + "' is " + Target.kindWords(t) + " target, not an ssh target");
    }

    /**
     * The target rendered for this run. {@code insecureSkipHostKeyCheck} is warned about once
     * per run and target, in the output of the first step that reaches it.
     */
    /**
     * A file of this machine that a target names (a key, a known_hosts file): a relative one is
     * in the run's working directory; {@code ~/...} and absolute paths stay as written.
     */
    static String localFile(ActionContext ctx, String path) {
        if (path == null || path.isBlank() || path.startsWith("~") || java.nio.file.Path.of(path).isAbsolute()) {
            return path;
        }
        return ctx.localPath(path).toString();
    }

    public static SshTarget resolve(ActionContext ctx, Target.Ssh t) throws ActionException {
        String host = required(ctx, t.host(), t, "host");
        String password = ctx.string(t.password(), "password of target " + t.name());
        if (password != null) {
            ctx.secret(password);
        }
        SshTarget target;
        try {
            target = new SshTarget(host, port(ctx, t), ctx.string(t.user(), "user of target " + t.name()),
                    localFile(ctx, ctx.string(t.identityFile(), "identityFile of target " + t.name())), password,
                    localFile(ctx, ctx.string(t.knownHosts(), "knownHosts of target " + t.name())),
                    flag(ctx, t.sudo(), t, "sudo"), flag(ctx, t.insecureSkipHostKeyCheck(), t, "insecureSkipHostKeyCheck"),
                    null, null);
        } catch (SshException e) {
            throw new ActionException("target '" + t.name() + "': " + e.getMessage());
        }
        SimulatedWorld world = ctx.run().world();
        if (world != null) {
            return simulated(world.sshHost(host), target);
        }
        if (target.insecureSkipHostKeyCheck() && warned(ctx).add(t.name())) {
            ctx.output().line("(runbook: warning: target '" + t.name() + "' has insecureSkipHostKeyCheck: true;"
                    + " the host key of " + host + " is not checked, so anyone in between can take its place)", true);
        }
        return target;
    }

    /**
     * The simulated host in place of the real one: its address and port, its host key trusted
     * for this run only, no ssh config or known_hosts of this machine read, and no key file
     * needed (any password is accepted there).
     */
    static SshTarget simulated(SimulatedWorld.SshEndpoint at, SshTarget target) {
        String line = at.knownHostsLine();
        String key = line.substring(line.indexOf(' ') + 1).strip();
        return new SshTarget(at.host(), at.port(), target.user(), null,
                target.password() != null ? target.password() : SANDBOX_PASSWORD, null, target.sudo(), false, key, "none");
    }

    private static Set<String> warned(ActionContext ctx) {
        return ctx.run().resource("ssh-insecure-warned", ConcurrentHashMap::newKeySet);
    }

    private static String required(ActionContext ctx, YNode n, Target.Ssh t, String field) throws ActionException {
        String v = ctx.string(n, field + " of target " + t.name());
        if (v == null || v.isBlank()) {
            throw new ActionException("target '" + t.name() + "' has no " + field);
        }
        return v;
    }

    private static Integer port(ActionContext ctx, Target.Ssh t) throws ActionException {
        Object v = ctx.render(t.port(), "port of target " + t.name());
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == n.longValue()) {
            return bounded(n.longValue(), t);
        }
        try {
            return bounded(Long.parseLong(v.toString().strip()), t);
        } catch (NumberFormatException e) {
            throw new ActionException("port of target '" + t.name() + "' is '" + v + "', not a number");
        }
    }

    private static int bounded(long p, Target.Ssh t) throws ActionException {
        if (p < 1 || p > 65535) {
            throw new ActionException("port of target '" + t.name() + "' is " + p + ", not between 1 and 65535");
        }
        return (int) p;
    }

    private static boolean flag(ActionContext ctx, YNode n, Target.Ssh t, String field) throws ActionException {
        Object v = ctx.render(n, field + " of target " + t.name());
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = v.toString().strip();
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ActionException(field + " of target '" + t.name() + "' is '" + s + "', not true or false");
    }
}
