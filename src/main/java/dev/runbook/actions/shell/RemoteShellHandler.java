package dev.runbook.actions.shell;

import dev.runbook.actions.Outputs;
import dev.runbook.actions.Values;
import dev.runbook.actions.ssh.SimulatedExec;
import dev.runbook.actions.ssh.SshPreflight;
import dev.runbook.actions.ssh.SshTargets;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.expr.Template;
import dev.runbook.lang.Durations;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.ssh.ExecResult;
import dev.runbook.ssh.RemoteCommand;
import dev.runbook.ssh.RemoteExec;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import dev.runbook.ssh.SshTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code shell} with {@code on: TARGET} (an ssh target): the argv or script runs on the host,
 * every value travelling as a single-quoted word, with env, cwd and stdin reaching it as they
 * would locally. The result has the same fields as a local shell step.
 */
final class RemoteShellHandler implements ActionHandler {
    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Shell sh = (Action.Shell) step.action();
        String on = ctx.string(sh.on(), "on");
        if ("local".equals(on)) {
            return new ShellHandler().prepare(step, ctx); // a templated on: that chose this machine
        }
        RemoteCommand command;
        String script = null;
        List<String> argv = null;
        if (sh.script() != null) {
            if (!(sh.script() instanceof YScalar sc) || !sc.isString()) {
                throw new ActionException("script must be text");
            }
            script = ctx.script(sc);
            command = RemoteCommand.script(script);
        } else {
            argv = Values.argv(ctx.render(sh.command(), "command"), "command");
            try {
                command = RemoteCommand.argv(argv);
            } catch (SshException e) {
                throw new ActionException(e.getMessage());
            }
        }
        Map<String, String> env = Values.env(ctx.render(sh.env(), "env"));
        String cwd = ctx.string(sh.cwd(), "cwd");
        String stdin = ctx.string(sh.stdin(), "stdin");
        try {
            command = command.withEnv(env).withCwd(cwd)
                    .withStdin(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8));
        } catch (SshException e) {
            throw new ActionException(e.getMessage());
        }
        String parse = sh.parse() == null ? "text" : sh.parse();
        String shownScript = script;
        List<String> shownArgv = argv;
        RemoteCommand prepared = command;
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                ShellHandler.describeProgram(d, shownScript, shownArgv);
                d.put("on", on);
                ShellHandler.describeInputs(d, env, cwd, stdin);
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException, InterruptedException {
                String name = shownScript != null ? "the script" : "'" + shownArgv.get(0) + "'";
                SshTarget target = SshTargets.resolve(c, SshTargets.named(c, on));
                ExecResult r = exec(c, target, prepared.withTimeout(c.remaining()), name + " on " + on);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("exitCode", (long) r.exitCode());
                result.put("stdout", r.stdout());
                result.put("stderr", r.stderr());
                result.put("lines", Outputs.lines(r.stdout()));
                if (r.exitCode() != 0 && (sh.allowExitCodes() == null || !sh.allowExitCodes().contains(r.exitCode()))) {
                    throw new ActionException(name + " exited with code " + r.exitCode() + " on " + on
                            + (c.step().sensitive() ? " (output not shown: the step is sensitive)" : tail(r)));
                }
                Outputs.parse(r.stdout(), parse, "the output of " + name, result);
                return result;
            }
        };
    }

    /** Runs the command; an interrupted run stops it on the host through this thread's interrupt. */
    static ExecResult exec(ActionContext c, SshTarget target, RemoteCommand command, String name)
            throws ActionException, InterruptedException {
        Thread self = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean stopRequested = new java.util.concurrent.atomic.AtomicBoolean();
        try (AutoCloseable stop = c.run().onInterrupt(() -> {
            stopRequested.set(true); // seen even when JSch swallows the interrupt below
            self.interrupt();
        })) {
            ExecResult r = c.run().world() != null
                    ? SimulatedExec.run(SshTargets.connections(c), target, command, c.output(), stopRequested::get)
                    : new RemoteExec(SshTargets.connections(c)).run(target, command, c.output(), stopRequested::get);
            if (r.truncated()) {
                c.output().line("(runbook: the output of " + name + " was longer than is kept; stdout and stderr hold its beginning)", true);
            }
            return r;
        } catch (SshTimeoutException e) {
            // Said with the step's timeout as written, not the few milliseconds that were left of it.
            String m = e.getMessage();
            String what = m.contains("; ") ? m.substring(m.indexOf("; ") + 2) : m;
            throw new ActionException(ActionException.Kind.TIMED_OUT, name + " timed out after "
                    + Durations.format(c.timeout() != null ? c.timeout() : command.timeout()) + "; " + what);
        } catch (SshException e) {
            throw new ActionException(e.getMessage());
        } catch (InterruptedException | ActionException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // onInterrupt's handle only removes an entry: never thrown
        }
    }

    /** The last few lines of what the command said, for the failure message. */
    private static String tail(ExecResult r) {
        List<String> keep = Outputs.lines(r.stderr().isBlank() ? r.stdout() : r.stderr()).stream()
                .filter(l -> !l.isBlank()).toList();
        if (keep.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(":");
        for (String l : keep.subList(Math.max(0, keep.size() - 5), keep.size())) {
            sb.append("\n  ").append(l.length() > 300 ? l.substring(0, 297) + "..." : l);
        }
        return sb.toString();
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        Action.Shell sh = (Action.Shell) step.action();
        if (!(sh.on() instanceof YScalar on) || !(on.value() instanceof String name) || Template.mayHoldTemplate(name)) {
            return List.of();
        }
        String exe = null;
        if (sh.script() != null) {
            exe = "bash";
        } else if (sh.command() instanceof YSeq seq && !seq.items().isEmpty()
                && seq.items().get(0) instanceof YScalar first && first.isString()
                && !Template.mayHoldTemplate(first.text())) {
            exe = first.text();
        }
        return SshPreflight.check(ctx, name, exe == null ? List.of() : List.of(exe));
    }
}
