package dev.runbook.actions;

import dev.runbook.actions.apicup.ApicupType;
import dev.runbook.actions.assertion.AssertType;
import dev.runbook.actions.file.FileType;
import dev.runbook.actions.group.GroupType;
import dev.runbook.actions.kubectl.KubectlType;
import dev.runbook.actions.prompt.PromptType;
import dev.runbook.actions.sftp.SftpType;
import dev.runbook.actions.shell.ShellType;
import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.model.Action;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of action types: the one place that lists them. The loader is given it (as an
 * {@link ActionCatalog}), and the checked runbook carries it to the planner and the engine.
 * {@link #of(Action)} is the program's one exhaustive switch over the sealed {@link Action}
 * records: a new record does not compile until it is registered here.
 */
public final class ActionTypes implements ActionCatalog {
    private static final ActionTypes STANDARD = new ActionTypes();

    private final KubectlType kubectl = new KubectlType();
    private final ApicupType apicup = new ApicupType();
    private final ShellType shell = new ShellType();
    private final SftpType sftp = new SftpType();
    private final AssertType assertion = new AssertType();
    private final PromptType prompt = new PromptType();
    private final FileType file = new FileType();
    private final GroupType group = new GroupType();
    private final Map<String, ActionType<?>> byKeyword = new LinkedHashMap<>();

    private ActionTypes() {
        for (ActionType<?> t : List.of(kubectl, apicup, shell, sftp, assertion, prompt, file, group)) {
            byKeyword.put(t.keyword(), t);
        }
    }

    /** The action types of this build. */
    public static ActionTypes standard() {
        return STANDARD;
    }

    @Override
    public List<String> keywords() {
        return List.copyOf(byKeyword.keySet());
    }

    @Override
    public ActionType<?> byKeyword(String keyword) {
        return byKeyword.get(keyword);
    }

    @Override
    public ActionType<?> of(Action action) {
        return switch (action) {
            case Action.Kubectl k -> kubectl;
            case Action.Apicup a -> apicup;
            case Action.Shell s -> shell;
            case Action.Sftp s -> sftp;
            case Action.Assert a -> assertion;
            case Action.Prompt p -> prompt;
            case Action.FileOp f -> file;
            case Action.Group g -> group;
        };
    }
}
