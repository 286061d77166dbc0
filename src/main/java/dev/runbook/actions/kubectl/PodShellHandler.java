package dev.runbook.actions.kubectl;

import dev.runbook.actions.Outputs;
import dev.runbook.actions.Values;
import dev.runbook.actions.shell.ShellHandler;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.expr.ShellScript;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YScalar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code shell} with {@code on: {pod, container}}: the command or script runs in the pod through
 * the exec API, quoted exactly as a local script is. The exec API carries only an argv, so
 * {@code env} and {@code cwd} become part of the command itself.
 */
public final class PodShellHandler implements ActionHandler {

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Shell sh = (Action.Shell) step.action();
        if (!(ctx.render(sh.on(), "on") instanceof Map<?, ?> on) || on.get("pod") == null) {
            throw new ActionException(ActionException.Kind.INVALID, "shell on a pod needs on: {pod: NAME, container: C}");
        }
        String pod = String.valueOf(on.get("pod"));
        String container = on.get("container") == null ? null : String.valueOf(on.get("container"));
        Map<String, String> env = Values.env(ctx.render(sh.env(), "env"));
        String cwd = ctx.string(sh.cwd(), "cwd");
        String stdin = ctx.string(sh.stdin(), "stdin");
        String script = null;
        List<String> argv;
        if (sh.script() != null) {
            if (!(sh.script() instanceof YScalar sc) || !sc.isString()) {
                throw new ActionException("script must be text");
            }
            script = ctx.script(sc);
            argv = new ArrayList<>(ShellHandler.BASH);
            argv.add(prelude(env, cwd) + script);
            argv.add(step.id()); // $0: bash names the step in its own error messages
        } else {
            List<String> command = Values.argv(ctx.render(sh.command(), "command"), "command");
            if (env.isEmpty() && cwd == null) {
                argv = command;
            } else {
                // No bash needed for a plain command: sh sets the scene, then becomes the program.
                argv = new ArrayList<>(List.of("sh", "-c", prelude(env, cwd) + "exec \"$@\"", step.id()));
                argv.addAll(command);
            }
        }
        Target.Kubernetes target = targetFor(ctx.run().runbook());
        return new PodCommand(step, pod, container, argv, script, env, cwd, stdin, target, sh.parse(), sh.allowExitCodes());
    }

    /** Shell lines that change directory and export the environment, every value one quoted word. */
    private static String prelude(Map<String, String> env, String cwd) {
        StringBuilder sb = new StringBuilder();
        if (cwd != null) {
            sb.append("cd ").append(ShellScript.quote(cwd)).append(" || exit 1\n");
        }
        env.forEach((k, v) -> sb.append("export ").append(k).append('=').append(ShellScript.quote(v)).append('\n'));
        return sb.toString();
    }

    /** A pod step names no target: defaults.target when it is a kubernetes one, else the only one. */
    private static Target.Kubernetes targetFor(Runbook rb) {
        String dflt = rb.defaults().target();
        if (dflt != null && rb.targets().get(dflt) instanceof Target.Kubernetes k) {
            return k;
        }
        return KubeTargets.onlyTarget(rb);
    }

    private record PodCommand(Step step, String pod, String container, List<String> argv, String script,
                              Map<String, String> env, String cwd, String stdin, Target.Kubernetes target, String parse,
                              List<Integer> allowExitCodes) implements Invocation {
        @Override
        public Object describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("pod", pod);
            if (container != null) {
                d.put("container", container);
            }
            ShellHandler.describeProgram(d, script, argv);
            ShellHandler.describeInputs(d, env, cwd, stdin);
            d.put("target", KubeTargets.label(target));
            return d;
        }

        @Override
        public Object run(ActionContext ctx) throws ActionException, InterruptedException {
            KubeVerbs verbs = new KubeVerbs(KubeTargets.connect(ctx, target));
            String name = script != null ? "the script in pod " + pod : "'" + argv.get(0) + "' in pod " + pod;
            Map<String, Object> result = PodCommands.run(ctx, verbs, pod, container, argv, stdin, null, name);
            String stdout = (String) result.get("stdout");
            String stderr = (String) result.get("stderr");
            long code = ((Number) result.get("exitCode")).longValue();
            if (code != 0 && (allowExitCodes == null || !allowExitCodes.contains((int) code))) {
                throw new ActionException(name + " exited with code " + code
                        + (ctx.step().sensitive() ? " (output not shown: the step is sensitive)" : KubectlInvocation.lastLine(stderr, stdout)));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("exitCode", code);
            out.put("stdout", stdout);
            out.put("stderr", stderr);
            out.put("lines", Outputs.lines(stdout));
            Outputs.parse(stdout, parse == null ? "text" : parse, "the output of " + name, out);
            return out;
        }
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        List<Requirement> out = new ArrayList<>();
        KubePreflight.reachable(ctx, targetFor(ctx.run().runbook()), out);
        return out;
    }
}
