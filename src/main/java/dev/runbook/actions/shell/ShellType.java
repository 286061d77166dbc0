package dev.runbook.actions.shell;

import dev.runbook.actions.ActionType;
import dev.runbook.actions.Unavailable;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.expr.Template;
import dev.runbook.lang.ActionChecks;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.plan.PlanFields;
import dev.runbook.plan.PlanText;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code shell}: a process here ({@code command} or {@code script}), or on a target with {@code on:}. */
public final class ShellType implements ActionType<Action.Shell> {
    @Override
    public String keyword() {
        return "shell";
    }

    @Override
    public Class<Action.Shell> type() {
        return Action.Shell.class;
    }

    @Override
    public Action.Shell read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        boolean hasCommand = m.has("command");
        boolean hasScript = m.has("script");
        if (hasCommand && hasScript) {
            r.error(m.keyPos("script"), "shell in step '" + r.id() + "' has both 'command' and 'script': give one",
                    "command: [argv...] runs a program without a shell; script: | runs bash");
        } else if (!hasCommand && !hasScript && !m.hasUnknownKeys()) {
            r.error(r.at(), "shell in step '" + r.id() + "' needs 'command' (an argv list) or 'script' (bash)");
        }
        r.argv(m.get("command"), "command", "for example: command: [echo, hello]; use 'script' for a shell command line");
        return new Action.Shell(m.get("command"), m.get("script"), m.get("on"), m.get("env"), m.get("cwd"),
                m.get("stdin"), m.string("parse"), r.exitCodes(m));
    }

    @Override
    public List<YNode> templated(Action.Shell sh) {
        return ActionType.fields(sh.command(), sh.script(), sh.env(), sh.cwd(), sh.stdin(), sh.on());
    }

    /** What a process step gives: its exit code and output, and {@code json} when parsed. */
    public static final Set<String> PROCESS_RESULT = Set.of("exitCode", "stdout", "stderr", "lines", "json");

    @Override
    public Set<String> resultFields(Action.Shell sh) {
        return PROCESS_RESULT;
    }

    @Override
    public void check(Action.Shell sh, ActionChecks checks) {
        if (sh.on() instanceof YScalar on && on.value() instanceof String name && !Template.mayHoldTemplate(name)
                && !name.equals("local")) {
            checks.targetRef(name, Target.Ssh.class, "an ssh");
        }
    }

    @Override
    public Effect effect(Action.Shell action, Function<YNode, Object> value) {
        return Effect.MUTATES;
    }

    @Override
    public void plan(Action.Shell sh, PlanFields out) {
        out.put("argv", sh.command());
        if (sh.script() instanceof YScalar sc) {
            out.putValue("script", out.script(sc));
        }
        out.put("on", sh.on());
        out.put("env", sh.env());
        out.put("cwd", sh.cwd());
        out.put("stdin", sh.stdin());
        if (sh.parse() != null) {
            out.putValue("parse", sh.parse());
        }
    }

    @Override
    public String summary(Map<String, Object> a) {
        return processSummary(a);
    }

    /** The plan text of a process: its argv line or script, then where and how it runs. */
    public static String processSummary(Map<String, Object> a) {
        StringBuilder sb = new StringBuilder();
        if (a.get("argv") instanceof List<?> argv) {
            sb.append("$ ").append(PlanText.argvLine(argv));
        }
        if (a.get("script") instanceof String script) {
            sb.append("script (bash -eu -o pipefail):");
            for (String line : script.stripTrailing().split("\n")) {
                sb.append("\n  ").append(line);
            }
        }
        for (String k : List.of("on", "projectDir", "cwd", "env", "stdin", "parse")) {
            if (a.containsKey(k)) {
                sb.append('\n').append(k).append(": ").append(PlanText.format(a.get(k)));
            }
        }
        return sb.toString();
    }

    @Override
    public ActionHandler newHandler() {
        return new Routing();
    }

    /** {@code on:} names a place other than this machine. */
    public static boolean isRemote(Action.Shell sh) {
        return sh.on() != null && !(sh.on() instanceof YScalar s && "local".equals(s.value()));
    }

    /** Local scripts here; an ssh target's or a pod's through their own handler (made when first needed). */
    private static final class Routing implements ActionHandler {
        private final ShellHandler local = new ShellHandler();
        private ActionHandler onTarget;
        private ActionHandler inPod;

        private synchronized ActionHandler onTarget() {
            if (onTarget == null) {
                onTarget = new RemoteShellHandler();
            }
            return onTarget;
        }

        private synchronized ActionHandler inPod() {
            if (inPod == null) {
                inPod = new dev.runbook.actions.kubectl.PodShellHandler();
            }
            return inPod;
        }

        private ActionHandler of(Step step) {
            Action.Shell sh = (Action.Shell) step.action();
            if (!isRemote(sh)) {
                return local;
            }
            return sh.on() instanceof dev.runbook.lang.yaml.YMap ? inPod() : onTarget();
        }

        @Override
        public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
            return of(step).prepare(step, ctx);
        }

        @Override
        public List<Requirement> requirements(Step step, ActionContext ctx) {
            return of(step).requirements(step, ctx);
        }
    }
}
