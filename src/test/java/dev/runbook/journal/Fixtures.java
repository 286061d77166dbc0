package dev.runbook.journal;

import dev.runbook.actions.ActionTypes;
import dev.runbook.engine.Answer;
import dev.runbook.engine.RunInfo;
import dev.runbook.engine.StepResult;
import dev.runbook.engine.StepState;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small runbook and a way to play a run through the journal listener, as the engine will. */
final class Fixtures {
    static final String SECRET = "hunter2-s3cr3t-value";

    static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: restore-demo
            title: Restore the demo database
            params:
              namespace: {default: apic}
              backupId: {type: string, default: "123"}
              password: {type: string, secret: true}
            defaults: {timeout: 10m}
            steps:
              - id: traffic-stopped
                title: Stop traffic
                prompt: {message: "Is traffic stopped?"}
              - id: token
                prompt: {message: "Token?", type: secret}
              - id: pods
                kubectl: {get: pods, selector: "app=cassandra", namespace: "${{ params.namespace }}"}
                capture:
                  names: "${{ result.items.map(p, p.metadata.name) }}"
              - id: creds
                sensitive: true
                shell: {command: [cat, /etc/creds]}
                capture:
                  key: "${{ result.stdout }}"
              - id: section
                title: The restore
                group:
                  steps:
                    - id: restore
                      shell: {command: [apicup, subsys, exec, mgmt, restore, "${{ params.backupId }}"]}
                    - id: verify
                      assert:
                        that: "${{ size(steps.pods.outputs.names) > 0 }}"
            onFailure:
              - id: diagnostics
                kubectl: {get: cassandraclusters}
            """;

    private Fixtures() {
    }

    static Runbook runbook(String yaml) {
        return RunbookLoader.parse("runbooks/demo.yaml", yaml, ActionTypes.standard()).runbook();
    }

    static Runbook runbook() {
        return runbook(RUNBOOK);
    }

    static Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("namespace", "apic");
        p.put("backupId", "123");
        return p;
    }

    static RunInfo info(String runId, boolean dryRun, Instant at) {
        return new RunInfo(runId, "restore-demo", "runbooks/demo.yaml", dryRun, params(), "alice", "host-a", 4242, at);
    }

    static StepResult result(String id, StepState state, Map<String, Object> outputs, Instant start, Instant end,
                             String error, Answer answer, Object wouldRun, int attempts) {
        return new StepResult(id, state, outputs, start, end, error, answer, wouldRun, attempts);
    }

    /** Plays steps through a listener with deterministic times, one second per step. */
    static final class Player {
        final JournalListener listener;
        final Runbook rb;
        Instant clock;

        Player(JournalListener listener, Runbook rb, Instant start) {
            this.listener = listener;
            this.rb = rb;
            this.clock = start;
        }

        Step step(String id) {
            Step s = rb.step(id);
            if (s == null) {
                throw new IllegalArgumentException(id);
            }
            return s;
        }

        void ok(String id, Map<String, Object> outputs) {
            finish(id, StepState.SUCCEEDED, outputs, null, null, null);
        }

        void finish(String id, StepState state, Map<String, Object> outputs, String error, Answer answer, Object wouldRun) {
            Step s = step(id);
            Instant start = clock;
            listener.stepStarted(s, 1);
            clock = clock.plusSeconds(1);
            listener.stepFinished(s, result(id, state, outputs, start, clock, error, answer, wouldRun, 1));
        }

        void start(String id) {
            listener.stepStarted(step(id), 1);
        }
    }

    /** The classpath to start a child JVM with this test's classes. */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }
}
