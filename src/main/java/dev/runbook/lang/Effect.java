package dev.runbook.lang;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a step reads or changes the world (SPEC section 4), the basis of dry-run: reads run
 * for real in a rehearsal, mutating steps are only recorded as what would have run.
 */
public enum Effect {
    READ("[read]"), MUTATES("[MUTATES]"), PROMPT("[prompt]"), GROUP("[group]");

    private final String tag;

    Effect(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /**
     * The effect of a step. {@code apicupArgs} are the rendered arguments when known (null
     * elements for values known only at run time); an apicup command counts as a read only when
     * it is one of the reporting subcommands, so anything unknown is treated as mutating.
     */
    public static Effect of(Step step, List<String> apicupArgs) {
        Effect own = natural(step.action(), apicupArgs);
        if (step.mutates() != null && own != PROMPT && own != GROUP) {
            return step.mutates() ? MUTATES : READ;
        }
        return own;
    }

    /**
     * The effect of a step from its definition alone, before anything is rendered: an apicup
     * argument that is an expression counts as unknown, so such a command counts as mutating.
     * The graph tags steps with it; resume uses it to tell the reads, which run again, from
     * the steps that must not.
     */
    public static Effect ofDefinition(Step step) {
        List<String> args = null;
        if (step.action() instanceof Action.Apicup a && a.args() instanceof YSeq seq) {
            args = new ArrayList<>();
            for (YNode n : seq.items()) {
                args.add(n instanceof YScalar sc && sc.value() != null && !String.valueOf(sc.value()).contains("${{")
                        ? String.valueOf(sc.value()) : null);
            }
        }
        return of(step, args);
    }

    private static Effect natural(Action action, List<String> apicupArgs) {
        if (action == null) {
            return MUTATES;
        }
        return switch (action.kind()) {
            case KUBECTL -> {
                String verb = ((Action.Kubectl) action).verb();
                yield verb.equals("get") || verb.equals("logs") ? READ : MUTATES;
            }
            case APICUP -> apicupReads(apicupArgs) ? READ : MUTATES;
            case SHELL -> MUTATES;
            case SFTP -> {
                String op = ((Action.Sftp) action).op();
                yield op.equals("list") || op.equals("stat") ? READ : MUTATES;
            }
            case ASSERT -> READ;
            case PROMPT -> PROMPT;
            case FILE -> ((Action.FileOp) action).op().equals("read") ? READ : MUTATES;
            case GROUP -> GROUP;
        };
    }

    /** version, subsys get, subsys list, subsys exec NAME list-backups, health-check. */
    static boolean apicupReads(List<String> args) {
        if (args == null || args.isEmpty() || args.get(0) == null) {
            return false;
        }
        String a0 = args.get(0);
        String a1 = args.size() > 1 ? args.get(1) : null;
        if (a0.equals("version") || a0.equals("health-check")) {
            return true;
        }
        if (a0.equals("subsys") && a1 != null) {
            if (a1.equals("get") || a1.equals("list") || a1.equals("health-check")) {
                return true;
            }
            if (a1.equals("exec") && args.size() > 3 && "list-backups".equals(args.get(3))) {
                return true;
            }
        }
        return false;
    }
}
