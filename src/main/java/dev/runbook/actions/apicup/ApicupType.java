package dev.runbook.actions.apicup;

import dev.runbook.actions.ActionType;
import dev.runbook.actions.shell.ShellType;
import dev.runbook.engine.ActionHandler;
import dev.runbook.lang.ActionReader;
import dev.runbook.lang.Effect;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.plan.PlanFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code apicup}: the API Connect installer's CLI. A read only for the subcommands that report
 * (SPEC section 4), decided from its arguments: the only action whose classification depends on
 * values, so an argument not known yet counts as mutating.
 */
public final class ApicupType implements ActionType<Action.Apicup> {
    @Override
    public String keyword() {
        return "apicup";
    }

    @Override
    public Class<Action.Apicup> type() {
        return Action.Apicup.class;
    }

    @Override
    public Action.Apicup read(ActionReader r) {
        Section m = r.map();
        if (m == null) {
            return null;
        }
        r.argv(m.get("args"), "args", "for example: args: [subsys, get, mgmt]");
        return new Action.Apicup(m.get("args"), m.get("projectDir"), m.get("env"), m.string("parse"), r.exitCodes(m));
    }

    @Override
    public List<YNode> templated(Action.Apicup a) {
        return ActionType.fields(a.args(), a.projectDir(), a.env());
    }

    @Override
    public Set<String> resultFields(Action.Apicup a) {
        Set<String> fields = new java.util.HashSet<>(ShellType.PROCESS_RESULT);
        fields.add("rows");
        return fields;
    }

    @Override
    public Effect effect(Action.Apicup a, Function<YNode, Object> value) {
        List<String> args = new ArrayList<>();
        if (!(value.apply(a.args()) instanceof List<?> l)) {
            return Effect.MUTATES;
        }
        for (Object o : l) {
            args.add(o == null || o instanceof Map || o instanceof List ? null : String.valueOf(o));
        }
        return reads(args) ? Effect.READ : Effect.MUTATES;
    }

    /** version, subsys get, subsys list, subsys exec NAME list-backups, health-check. */
    static boolean reads(List<String> args) {
        if (args.isEmpty() || args.get(0) == null) {
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

    @Override
    public void plan(Action.Apicup a, PlanFields out) {
        Object args = out.show(a.args());
        List<Object> argv = new ArrayList<>();
        argv.add("apicup");
        if (args instanceof List<?> l) {
            argv.addAll(l);
        } else {
            argv.add(args);
        }
        out.putValue("argv", argv);
        out.put("projectDir", a.projectDir());
        out.put("env", a.env());
        if (a.parse() != null) {
            out.putValue("parse", a.parse());
        }
    }

    @Override
    public String summary(Map<String, Object> fields) {
        return ShellType.processSummary(fields);
    }

    @Override
    public ActionHandler newHandler() {
        return new ApicupHandler();
    }
}
