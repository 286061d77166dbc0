package dev.runbook.actions;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YNode;
import java.util.List;

/**
 * An action this build cannot run yet. Its steps still load, plan and show in a dry run (a
 * mutating one as would-run); running one fails with a clear message, and a dry run's
 * preflight reports it before the first step.
 */
public final class Unavailable implements ActionHandler {
    private final String what;

    /** @param what the steps it stands for, as the operator reads them: "kubectl steps" */
    public Unavailable(String what) {
        this.what = what;
    }

    private String message() {
        return "this build of runbook cannot run " + what + " yet";
    }

    @Override
    public Invocation prepare(Step step, ActionContext ctx) {
        YNode source = step.source().get(step.action().keyword());
        return new Invocation() {
            public Object describe() {
                return java.util.Map.of(step.action().keyword(), dev.runbook.expr.Renderer.preview(source, ctx.scope(), ctx.run().expressions()));
            }

            public Object run(ActionContext c) throws ActionException {
                throw new ActionException(message());
            }
        };
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        return List.of(new Requirement(what, false, message(), List.of(step.id())));
    }
}
