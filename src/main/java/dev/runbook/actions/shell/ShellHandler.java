package dev.runbook.actions.shell;

import dev.runbook.actions.Outputs;
import dev.runbook.actions.Processes;
import dev.runbook.actions.Values;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.expr.Template;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.proc.Executables;
import dev.runbook.proc.ProcessSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code shell} on this machine. {@code command: [argv]} starts the program directly, no shell
 * involved; {@code script:} runs under {@code bash -eu -o pipefail} with every {@code ${{ }}}
 * value inserted as one single-quoted word, so no value can become shell syntax.
 */
public final class ShellHandler implements ActionHandler {
    /** How scripts run: stop at the first failing command, unset variable or failing pipe stage. */
    public static final List<String> BASH = List.of("bash", "-eu", "-o", "pipefail", "-c");

    /**
     * What a process step runs, as would-run and the console show it: its script and the shell
     * that runs it, else its argv. Shared by every handler of {@code shell} (here, on an ssh
     * target, in a pod).
     */
    public static void describeProgram(Map<String, Object> d, String script, List<String> argv) {
        if (script != null) {
            d.put("script", script);
            d.put("shell", String.join(" ", BASH.subList(0, BASH.size() - 1)));
        } else {
            d.put("argv", argv);
        }
    }

    /** The inputs a process step gives its program, those that are given. */
    public static void describeInputs(Map<String, Object> d, Map<String, String> env, String cwd, String stdin) {
        if (!env.isEmpty()) {
            d.put("env", env);
        }
        if (cwd != null) {
            d.put("cwd", cwd);
        }
        if (stdin != null) {
            d.put("stdin", stdin);
        }
    }

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Shell sh = (Action.Shell) step.action();
        List<String> argv;
        String script = null;
        if (sh.script() != null) {
            if (!(sh.script() instanceof YScalar sc) || !sc.isString()) {
                throw new ActionException("script must be text");
            }
            script = ctx.script(sc);
            argv = new ArrayList<>(BASH);
            argv.add(script);
            argv.add(step.id()); // $0: bash names the step in its own error messages
        } else {
            argv = Values.argv(ctx.render(sh.command(), "command"), "command");
        }
        Map<String, String> env = Values.env(ctx.render(sh.env(), "env"));
        String cwd = ctx.string(sh.cwd(), "cwd");
        String stdin = ctx.string(sh.stdin(), "stdin");
        String parse = sh.parse() == null ? "text" : sh.parse();
        String shownScript = script;
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                describeProgram(d, shownScript, argv);
                describeInputs(d, env, cwd, stdin);
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException, InterruptedException {
                String name = shownScript != null ? "the script" : "'" + argv.get(0) + "'";
                // A relative cwd stays relative: the run's process runner resolves it against the
                // run's working directory, and its message names it as written.
                ProcessSpec spec = new ProcessSpec(argv, env, cwd == null ? null : Path.of(cwd), stdin, c.remaining());
                Map<String, Object> result = Processes.run(c, spec, sh.allowExitCodes(), name);
                Outputs.parse((String) result.get("stdout"), parse, "the output of " + name, result);
                return result;
            }
        };
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        Action.Shell sh = (Action.Shell) step.action();
        String exe = null;
        if (sh.script() != null) {
            exe = "bash";
        } else if (sh.command() instanceof YSeq seq && !seq.items().isEmpty()
                && seq.items().get(0) instanceof YScalar first && first.isString()
                && !Template.mayHoldTemplate(first.text())) {
            exe = first.text();
        }
        if (exe == null) {
            return List.of();
        }
        return List.of(executable(exe, null, ctx.options().workDir()));
    }

    /** Whether {@code exe} can be started: found on PATH, or an executable file ({@code ./x}: in {@code workDir}). */
    public static Requirement executable(String exe, String howToFix, Path workDir) {
        String found = Executables.find(exe, System.getenv("PATH"), workDir);
        if (found != null) {
            return new Requirement("executable " + exe, true, found, List.of());
        }
        return new Requirement("executable " + exe, false, (exe.indexOf('/') >= 0 ? "no such executable file"
                : "not found on PATH") + (howToFix == null ? "" : "; " + howToFix), List.of());
    }
}
