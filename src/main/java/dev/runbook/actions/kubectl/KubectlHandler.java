package dev.runbook.actions.kubectl;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import java.util.List;

/**
 * {@code kubectl}: one Kubernetes API verb in-process (SPEC section 3) against the step's
 * kubernetes target, with server-side dry run for rehearsals (section 6) and watches for
 * {@code until}.
 */
public final class KubectlHandler implements ActionHandler {

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Kubectl k = (Action.Kubectl) step.action();
        Target.Kubernetes target = KubeTargets.targetOf(ctx.run().runbook(), k.on());
        return new KubectlInvocation(KubectlCall.render(k, ctx), target);
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        return KubePreflight.check(step, ctx);
    }
}
