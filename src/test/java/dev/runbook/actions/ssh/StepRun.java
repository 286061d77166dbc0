package dev.runbook.actions.ssh;

import dev.runbook.actions.ActionTypes;
import dev.runbook.engine.Engine;
import dev.runbook.engine.HandlerSource;
import dev.runbook.engine.Requirement;
import dev.runbook.engine.RunInfo;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOptions;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.engine.StepResult;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.ParamBinder;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a runbook through the engine with the built-in handlers and keeps what the listeners heard. */
final class StepRun implements RunListener {
    final Map<String, StepResult> results = new LinkedHashMap<>();
    final List<String> output = new ArrayList<>();
    final List<Requirement> preflight = new ArrayList<>();
    RunOutcome outcome;

    static StepRun run(Path stateDir, String yaml, List<String> sets, boolean dryRun, SimulatedWorld world) {
        return run(stateDir, yaml, sets, dryRun, world, null);
    }

    /** With {@code handlers} in place of the built-in ones, when given. */
    static StepRun run(Path stateDir, String yaml, List<String> sets, boolean dryRun, SimulatedWorld world,
                       HandlerSource handlers) {
        return new StepRun().go(stateDir, yaml, sets, dryRun, world, handlers);
    }

    StepRun go(Path stateDir, String yaml, List<String> sets, boolean dryRun, SimulatedWorld world,
               HandlerSource handlers) {
        CheckedRunbook checked = RunbookLoader.parse("rb.yaml", yaml, ActionTypes.standard());
        Map<String, Object> params = ParamBinder.bind(checked.runbook(), sets, null);
        RunOptions options = RunOptions.builder().dryRun(dryRun).stateDir(stateDir).env(env).world(world).build();
        engine = new Engine(checked, params, options, List.of(this), new Redactor(),
                handlers != null ? handlers : HandlerSource.builtIn(checked.actions()));
        outcome = engine.run();
        return this;
    }

    /** The run's environment (none by default, so this machine's SSH_AUTH_SOCK stays out of tests). */
    Map<String, String> env = Map.of();

    /** Set before the run starts: a test may interrupt it from another thread. */
    volatile Engine engine;
    /** Called with each step as it starts. */
    volatile java.util.function.Consumer<Step> onStart = s -> { };

    @Override
    public void stepStarted(Step step, int attempt) {
        onStart.accept(step);
    }

    StepResult step(String id) {
        StepResult s = results.get(id);
        if (s == null) {
            throw new AssertionError("no result for step " + id + "; outcome " + outcome + ", results " + results);
        }
        return s;
    }

    @Override
    public void preflight(List<Requirement> checks) {
        preflight.addAll(checks);
    }

    @Override
    public void stepOutput(Step step, String line, boolean stderr) {
        output.add(step.id() + (stderr ? " ! " : " | ") + line);
    }

    @Override
    public void stepFinished(Step step, StepResult result) {
        results.put(step.id(), result);
    }

    @Override
    public void runFinished(RunInfo info, RunOutcome o) {
        outcome = o;
    }
}
