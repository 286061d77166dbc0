package dev.runbook.actions.ssh;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.Requirement;
import dev.runbook.ssh.ExecResult;
import dev.runbook.ssh.RemoteCommand;
import dev.runbook.ssh.RemoteExec;
import dev.runbook.ssh.SshConnections;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a dry run checks before its first step for steps on ssh targets: the host answers,
 * its key is known and authentication works; the programs the steps start are there. Each
 * host is tried once per run: many steps on an unreachable host give one answer, not many
 * connection timeouts.
 */
public final class SshPreflight {
    private SshPreflight() {
    }

    /** Whether the target can be reached and logged into; the executables after it, when it can. */
    public static List<Requirement> check(ActionContext ctx, String targetName, List<String> executables) {
        List<Requirement> out = new ArrayList<>();
        String what = "ssh target " + targetName;
        SshTarget target;
        try {
            target = SshTargets.resolve(ctx, SshTargets.named(ctx, targetName));
        } catch (ActionException e) {
            out.add(new Requirement(what, false, e.getMessage(), List.of()));
            return out;
        }
        SshConnections connections = SshTargets.connections(ctx);
        String failure = reachability(ctx).computeIfAbsent(target, t -> connect(connections, t));
        if (!failure.isEmpty()) {
            out.add(new Requirement(what, false, failure, List.of()));
            return out;
        }
        out.add(new Requirement(what, true, connections.describe(target) + ": host key known, logged in", List.of()));
        if (ctx.run().world() != null) {
            return out; // a simulated host runs no program: its answers come from sandbox.yaml
        }
        for (String exe : executables) {
            out.add(executable(ctx, connections, target, targetName, exe));
        }
        return out;
    }

    /** Per run and target: "" when it was reached, else why not. */
    private static Map<SshTarget, String> reachability(ActionContext ctx) {
        return ctx.run().resource("ssh-preflight", ConcurrentHashMap::new);
    }

    private static String connect(SshConnections connections, SshTarget target) {
        try {
            connections.session(target);
            return "";
        } catch (SshException e) {
            return e.getMessage();
        }
    }

    private static Requirement executable(ActionContext ctx, SshConnections connections, SshTarget target,
                                          String targetName, String exe) {
        String what = "executable " + exe + " on " + targetName;
        Map<String, Requirement> seen = ctx.run().resource("ssh-preflight-exe", ConcurrentHashMap::new);
        return seen.computeIfAbsent(targetName + '\0' + exe, k -> {
            try {
                // command -v is a shell builtin: it finds programs, builtins and functions as the step's bash would.
                ExecResult r = new RemoteExec(connections).run(target, RemoteCommand.argv(List.of("bash", "-c",
                        "command -v \"$1\"", "command-v", exe)).withTimeout(Duration.ofSeconds(30)), (line, err) -> { });
                if (r.exitCode() == 0) {
                    String found = r.stdout().strip();
                    return new Requirement(what, true, found.isEmpty() ? exe : found, List.of());
                }
                return new Requirement(what, false, "not found on the PATH of " + connections.describe(target), List.of());
            } catch (SshException e) {
                return new Requirement(what, false, "cannot be checked: " + e.getMessage(), List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Requirement(what, false, "not checked: interrupted", List.of());
            }
        });
    }
}
