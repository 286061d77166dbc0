package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.plan.Plan;
import dev.runbook.plan.PlanPrinter;
import dev.runbook.plan.Planner;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code runbook plan FILE}: what a run would do; nothing is run and nothing contacted. */
@Command(name = "plan", description = "Print the plan: each step with its rendered action; runs and contacts nothing.")
public final class PlanCommand implements Callable<Integer> {
    enum Format { text, json, markdown }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Mixin
    ParamsOptions params;

    @Option(names = "--format", defaultValue = "text", description = "text, json or markdown (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--sandbox", paramLabel = "DIR",
            description = "The sandbox a run would act on: checked (sandbox.yaml included), nothing is started.")
    Path sandbox;

    @Override
    public Integer call() {
        if (sandbox != null) {
            SandboxRun.checked(sandbox);
        }
        CheckedRunbook checked = RunbookLoader.load(file, ActionTypes.standard());
        Map<String, Object> values = params.bind(checked.runbook());
        Plan plan = Planner.plan(checked, values, System.getenv());
        String out = switch (format) {
            case text -> PlanPrinter.text(plan);
            case json -> PlanPrinter.json(plan);
            case markdown -> PlanPrinter.markdown(plan);
        };
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
