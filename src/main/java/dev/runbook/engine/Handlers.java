package dev.runbook.engine;

import dev.runbook.actions.Unavailable;
import dev.runbook.actions.apicup.ApicupHandler;
import dev.runbook.actions.assertion.AssertHandler;
import dev.runbook.actions.file.FileHandler;
import dev.runbook.actions.prompt.PromptHandler;
import dev.runbook.actions.shell.ShellHandler;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YScalar;
import java.util.EnumMap;
import java.util.Map;

/**
 * Chooses the handler of a step's action. A handler is made the first time a step of its kind
 * runs: the JVM loads a class only when it is first used, so a run without kubectl steps never
 * loads the Kubernetes client, and one without ssh steps never loads JSch.
 */
final class Handlers {
    private final Map<Action.Kind, ActionHandler> made = new EnumMap<>(Action.Kind.class);
    private ActionHandler remoteShell;

    synchronized ActionHandler of(Step step) {
        Action a = step.action();
        if (a.kind() == Action.Kind.SHELL && isRemote((Action.Shell) a)) {
            if (remoteShell == null) {
                remoteShell = new Unavailable("shell steps with on: (an ssh target or a pod)");
            }
            return remoteShell;
        }
        return made.computeIfAbsent(a.kind(), Handlers::make);
    }

    /** The exhaustive switch: adding an action kind fails to compile until it is handled here. */
    private static ActionHandler make(Action.Kind kind) {
        return switch (kind) {
            case SHELL -> new ShellHandler();
            case APICUP -> new ApicupHandler();
            case FILE -> new FileHandler();
            case PROMPT -> new PromptHandler();
            case ASSERT -> new AssertHandler();
            case KUBECTL -> new Unavailable("kubectl steps");
            case SFTP -> new Unavailable("sftp steps");
            case GROUP -> throw new IllegalStateException("a group has no action of its own: the engine runs its steps");
        };
    }

    /** {@code on:} names a place other than this machine. */
    static boolean isRemote(Action.Shell sh) {
        if (sh.on() == null) {
            return false;
        }
        return !(sh.on() instanceof YScalar s && "local".equals(s.value()));
    }
}
