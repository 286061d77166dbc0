package dev.runbook.engine;

import dev.runbook.actions.ActionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.lang.model.Step;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's step lifecycle with a handler of the test's own: no process runs, so what is
 * checked is only what the engine does with the handler's answers (retries, until, forEach,
 * blocked dependents, dry-run would-run), as the listeners hear it.
 */
@Timeout(30)
class EngineWithFakeHandlerTest {
    @TempDir
    Path dir;

    /** What one execution of a step does, given the step's scope and how many times it ran before. */
    @FunctionalInterface
    interface Behaviour {
        Object run(Map<String, Object> scope, int call) throws ActionException;
    }

    /** Every step's action is a behaviour from the map (by step id); calls are counted per step. */
    static final class FakeHandler implements ActionHandler, HandlerSource {
        final Map<String, Behaviour> behaviours;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> prepared = new ConcurrentHashMap<>();

        FakeHandler(Map<String, Behaviour> behaviours) {
            this.behaviours = behaviours;
        }

        @Override
        public ActionHandler of(Step step) {
            return this;
        }

        @Override
        public Invocation prepare(Step step, ActionContext ctx) {
            prepared.computeIfAbsent(step.id(), k -> new AtomicInteger()).incrementAndGet();
            Map<String, Object> scope = ctx.scope();
            return new Invocation() {
                @Override
                public Object describe() {
                    return Map.of("fake", step.id(), "item", String.valueOf(scope.get("item")));
                }

                @Override
                public Object run(ActionContext c) throws ActionException {
                    int n = calls.computeIfAbsent(step.id(), k -> new AtomicInteger()).incrementAndGet();
                    Behaviour b = behaviours.get(step.id());
                    // The steps are shell steps, whose result has json among its fields: the
                    // behaviour's values go there, where the checker lets expressions read them.
                    return b == null ? Map.of() : Map.of("json", b.run(scope, n));
                }
            };
        }

        int calls(String id) {
            AtomicInteger n = calls.get(id);
            return n == null ? 0 : n.get();
        }
    }

    /** The listener calls, one line each, and the results as the listeners saw them. */
    static final class Recording implements RunListener {
        final List<String> events = new ArrayList<>();
        final Map<String, StepResult> results = new LinkedHashMap<>();
        RunOutcome outcome;

        @Override
        public void stepStarted(Step step, int attempt) {
            events.add("started " + step.id() + " " + attempt);
        }

        @Override
        public void stepRetrying(Step step, int attempt, String error, Duration wait) {
            events.add("retrying " + step.id() + " " + attempt + ": " + error);
        }

        @Override
        public void stepWaiting(Step step, int attempt, Duration elapsed, Duration timeout, String last) {
            events.add("waiting " + step.id() + " " + attempt + ": " + last);
        }

        @Override
        public void stepFinished(Step step, StepResult result) {
            events.add("finished " + step.id() + " " + result.state().word());
            results.put(step.id(), result);
        }

        @Override
        public void runFinished(RunInfo info, RunOutcome o) {
            outcome = o;
        }
    }

    private Recording run(String steps, FakeHandler handler, boolean dryRun) {
        CheckedRunbook checked = RunbookLoader.parse("fake.yaml", "apiVersion: runbook/v1\nname: fake\n" + steps, ActionTypes.standard());
        RunOptions options = RunOptions.builder().dryRun(dryRun).stateDir(dir.resolve(".runbook")).env(Map.of()).build();
        Recording recording = new Recording();
        RunOutcome returned = new Engine(checked, Map.of(), options, List.of(recording), new dev.runbook.secrets.Redactor(),
                handler).run();
        assertThat(recording.outcome).isEqualTo(returned);
        return recording;
    }

    @Test
    void aFailedAttemptIsRetriedUntilItSucceedsAndEachAttemptIsAnnounced() {
        FakeHandler handler = new FakeHandler(Map.of("flaky", (scope, call) -> {
            if (call < 3) {
                throw new ActionException("not yet " + call);
            }
            return Map.of("v", "up");
        }, "hopeless", (scope, call) -> {
            throw new ActionException("down " + call);
        }));
        Recording r = run("""
                steps:
                  - id: flaky
                    shell: {command: [fake]}
                    retries: 2
                    interval: 1ms
                    capture: {v: "${{ result.json.v }}"}
                  - id: hopeless
                    shell: {command: [fake]}
                    retries: 1
                    interval: 1ms
                """, handler, false);
        assertThat(r.events).containsExactly(
                "started flaky 1", "retrying flaky 1: not yet 1",
                "started flaky 2", "retrying flaky 2: not yet 2",
                "started flaky 3", "finished flaky succeeded",
                "started hopeless 1", "retrying hopeless 1: down 1",
                "started hopeless 2", "finished hopeless failed");
        assertThat(r.results.get("flaky").attempts()).isEqualTo(3);
        assertThat(r.results.get("flaky").outputs()).isEqualTo(Map.of("v", "up"));
        assertThat(r.results.get("hopeless").attempts()).isEqualTo(2);
        assertThat(r.results.get("hopeless").error()).isEqualTo("down 2");
        assertThat(r.outcome).isEqualTo(new RunOutcome("failed", RunOutcome.STEP_FAILED, "step 'hopeless' failed: down 2"));
    }

    @Test
    void untilRunsTheActionAgainUntilTheConditionHoldsAndAFailedProbeCountsAsNotYet() {
        FakeHandler handler = new FakeHandler(Map.of("wait", (scope, call) -> {
            if (call == 2) {
                throw new ActionException("refused");
            }
            return Map.of("n", (long) call);
        }));
        Recording r = run("""
                steps:
                  - id: wait
                    shell: {command: [fake]}
                    until: "${{ result.json.n >= 4 }}"
                    interval: 1ms
                    capture: {n: "${{ result.json.n }}"}
                """, handler, false);
        assertThat(r.events).containsExactly("started wait 1", "waiting wait 1: false", "waiting wait 2: error: refused",
                "waiting wait 3: false", "finished wait succeeded");
        assertThat(handler.calls("wait")).isEqualTo(4);
        assertThat(r.results.get("wait").outputs()).isEqualTo(Map.of("n", 4L));
        assertThat(r.outcome.exitCode()).isEqualTo(RunOutcome.OK);
    }

    @Test
    void forEachRunsOncePerItemAndCapturesBecomeListsInItemOrder() {
        Behaviour upper = (scope, call) -> Map.of("v", scope.get("index") + "=" + String.valueOf(scope.get("item")).toUpperCase());
        FakeHandler handler = new FakeHandler(Map.of("each", upper, "pooled", upper));
        Recording r = run("""
                steps:
                  - id: each
                    shell: {command: [fake]}
                    forEach: [a, b, c]
                    capture: {v: "${{ result.json.v }}"}
                  - id: pooled
                    shell: {command: [fake]}
                    forEach: [x, y, z, w]
                    parallel: 3
                    capture: {v: "${{ result.json.v }}"}
                  - id: none
                    shell: {command: [fake]}
                    forEach: []
                """, handler, false);
        assertThat(r.results.get("each").outputs()).isEqualTo(Map.of("v", List.of("0=A", "1=B", "2=C")));
        assertThat(r.results.get("pooled").outputs()).isEqualTo(Map.of("v", List.of("0=X", "1=Y", "2=Z", "3=W")));
        assertThat(handler.calls("each")).isEqualTo(3);
        assertThat(handler.calls("pooled")).isEqualTo(4);
        assertThat(handler.calls("none")).isZero();
        assertThat(r.results.get("none").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(r.results.get("none").note()).isEqualTo("forEach gave no items");
    }

    @Test
    void aFailedItemFailsTheStepNamingTheItemAndTheLaterItemsDoNotRun() {
        FakeHandler handler = new FakeHandler(Map.of("each", (scope, call) -> {
            if ("b".equals(scope.get("item"))) {
                throw new ActionException("b is broken");
            }
            return Map.of();
        }));
        Recording r = run("""
                steps:
                  - id: each
                    shell: {command: [fake]}
                    forEach: [a, b, c]
                """, handler, false);
        assertThat(handler.calls("each")).isEqualTo(2);
        assertThat(r.results.get("each").state()).isEqualTo(StepState.FAILED);
        assertThat(r.results.get("each").error()).isEqualTo("item 1 (b): b is broken");
    }

    @Test
    void aFailuresDependentsAreBlockedWhileIndependentStepsAndTheOnFailureStepsRun() {
        FakeHandler handler = new FakeHandler(Map.of("breaks", (scope, call) -> {
            throw new ActionException("boom");
        }, "reader", (scope, call) -> Map.of()));
        Recording r = run("""
                steps:
                  - id: breaks
                    shell: {command: [fake]}
                    onFailure: continue
                    capture: {v: "${{ result.json.v }}"}
                  - id: needs-it
                    shell: {command: [fake]}
                    needs: [breaks]
                  - id: reader
                    shell: {command: [fake, "${{ steps.breaks.outputs.v }}"]}
                  - id: independent
                    shell: {command: [fake]}
                onFailure:
                  - id: diagnostics
                    shell: {command: [fake]}
                """, handler, false);
        assertThat(r.results.get("breaks").state()).isEqualTo(StepState.FAILED);
        assertThat(r.results.get("needs-it").state()).isEqualTo(StepState.BLOCKED);
        assertThat(r.results.get("needs-it").note()).isEqualTo("depends on step 'breaks', which failed");
        assertThat(r.results.get("reader").state()).isEqualTo(StepState.BLOCKED);
        assertThat(r.results.get("independent").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(r.results.get("diagnostics").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(handler.calls("needs-it")).isZero();
        assertThat(handler.calls("reader")).isZero();
        assertThat(r.events).doesNotContain("started needs-it 1", "started reader 1");
        assertThat(r.outcome).isEqualTo(new RunOutcome("failed", RunOutcome.STEP_FAILED, "step 'breaks' failed: boom"));
    }

    @Test
    void aDryRunRunsReadsButOnlyDescribesWhatAMutatingStepWouldRun() {
        FakeHandler handler = new FakeHandler(Map.of("look", (scope, call) -> Map.of("v", "seen")));
        Recording r = run("""
                steps:
                  - id: look
                    file: {read: /nowhere}
                    capture: {v: "${{ result.json.v }}"}
                  - id: change
                    shell: {command: [fake]}
                    forEach: [p, q]
                  - id: after
                    shell: {command: [fake]}
                    needs: [change]
                """, handler, true);
        assertThat(handler.calls("look")).isEqualTo(1);
        assertThat(r.results.get("look").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(r.results.get("look").outputs()).isEqualTo(Map.of("v", "seen"));
        assertThat(handler.calls("change")).isZero();
        assertThat(handler.prepared.get("change").get()).isEqualTo(2);
        assertThat(r.results.get("change").state()).isEqualTo(StepState.WOULD_RUN);
        assertThat(r.results.get("change").wouldRun()).isEqualTo(List.of(Map.of("fake", "change", "item", "p"),
                Map.of("fake", "change", "item", "q")));
        assertThat(r.results.get("after").state()).isEqualTo(StepState.WOULD_RUN);
        assertThat(handler.calls("after")).isZero();
        assertThat(r.outcome).isEqualTo(new RunOutcome("succeeded", RunOutcome.OK,
                "dry run passed: every rehearsed step passed, 2 steps would run"));
    }
}
