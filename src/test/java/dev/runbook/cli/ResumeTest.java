package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.StepState;
import dev.runbook.journal.JournalRecord;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code runbook run} with its journal, and {@code runbook resume}, through the real CLI.
 * Each step that changes something appends a line to a log, so that the tests count how many
 * times it really ran. Runs killed with {@code kill -9} are in {@link ResumeProcessTest}.
 */
class ResumeTest {
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    Path state() {
        return dir.resolve("state");
    }

    Path log() {
        return dir.resolve("log");
    }

    Cli.Result run(String... args) {
        return Cli.run(with(args));
    }

    Cli.Result run(Cli.Scripted terminal, String... args) {
        return Cli.run(terminal, with(args));
    }

    private String[] with(String... args) {
        List<String> l = new java.util.ArrayList<>(List.of(args));
        l.addAll(List.of("--state-dir", state().toString()));
        if (args[0].equals("run") || args[0].equals("resume")) {
            l.add("--no-color");
        }
        return l.toArray(String[]::new);
    }

    /** look (read) - ok (prompt) - change (mutating) - check (read) - gate (fails until a file exists) - after. */
    private Path procedure() throws Exception {
        return Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: procedure
                params:
                  target: {default: db1}
                steps:
                  - id: look
                    mutates: false
                    shell: {script: "echo look >> %1$s/log; cat %1$s/world"}
                    capture: {world: "${{ result.stdout.trim() }}"}
                  - id: ok
                    prompt: {message: "Go on with ${{ params.target }}?"}
                  - id: change
                    shell: {script: "echo change >> %1$s/log"}
                    capture: {done: "'yes'"}
                  - id: check
                    assert:
                      that: "steps.look.outputs.world == 'ready'"
                      message: "the world is not ready"
                  - id: gate
                    shell: {script: "echo gate >> %1$s/log; test -e %1$s/flag"}
                  - id: after
                    shell: {script: "echo after-${{ steps.change.outputs.done }} >> %1$s/log"}
                """.formatted(dir));
    }

    @Test
    void aFailedRunResumesKeepingDoneStepsAndAnswersAndRunningReadsAgain() throws Exception {
        Files.writeString(dir.resolve("world"), "ready\n");
        Path rb = procedure();
        Cli.Result first = run("run", rb.toString(), "--answer", "ok=yes");
        assertThat(first.code()).as(first.all()).isEqualTo(1);
        RunDir runDir = Cli.onlyRun(state());
        assertThat(first.out()).contains("Report: " + runDir.report())
                .contains("Continue it with: runbook resume " + runDir.id() + " --state-dir " + state());
        assertThat(runDir.report()).exists();
        assertThat(Files.readString(runDir.params())).contains("target: db1");
        assertThat(Files.readString(runDir.runbookCopy())).isEqualTo(Files.readString(rb));

        Files.writeString(dir.resolve("flag"), "");
        // No --answer and no terminal: the prompt answered before is not asked again.
        Cli.Result resumed = run("resume");
        assertThat(resumed.code()).as(resumed.all()).isZero();
        assertThat(resumed.out())
                .contains("Resuming run " + runDir.id() + " of procedure")
                .contains("it ended failed at step 'gate'")
                .contains("Kept from before (not run again): ok, change")
                .contains("Reads that run again, so that what follows sees the world as it is now: look, check")
                .contains("Resuming at step 'gate'")
                .containsPattern("SUCCEEDED +change +\\(from before: not run again\\)");
        assertThat(Cli.lines(log())).containsExactly("look", "change", "gate", "look", "gate", "after-yes");

        assertThat(Cli.onlyRun(state()).id()).as("the same run, continued").isEqualTo(runDir.id());
        RunState s = runDir.state();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.resumes()).hasSize(1);
        assertThat(s.steps().get("ok").answer().value()).isEqualTo("yes");
        assertThat(s.steps().get("ok").answer().source()).isEqualTo("--answer");
        assertThat(runDir.readJournal().records()).filteredOn(r -> r instanceof JournalRecord.Resumed).hasSize(1);
        assertThat(Files.readString(runDir.report())).contains("**succeeded** (exit 0)").contains("| Resumed |");

        Cli.Result again = run("resume", runDir.id());
        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err()).contains("run " + runDir.id() + " succeeded: there is nothing to resume");
    }

    @Test
    void aReadThatNoLongerHoldsStopsTheResumeThere() throws Exception {
        Files.writeString(dir.resolve("world"), "ready\n");
        Path rb = procedure();
        assertThat(run("run", rb.toString(), "--yes").code()).isEqualTo(1);
        Files.writeString(dir.resolve("world"), "changed under us\n");
        Files.writeString(dir.resolve("flag"), "");
        Cli.Result r = run("resume");
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).containsPattern("FAILED +check").contains("the world is not ready")
                .contains("where steps.look.outputs.world = 'changed under us'");
        assertThat(Cli.lines(log())).as("nothing after the read that failed ran")
                .containsExactly("look", "change", "gate", "look");
        assertThat(Cli.onlyRun(state()).state().steps().get("check").state()).isEqualTo(StepState.FAILED);
    }

    @Test
    void anEditedRunbookRunsAgainFromTheFirstChangedStepAndSaysWhichChanged() throws Exception {
        String text = """
                apiVersion: runbook/v1
                name: edited
                steps:
                  - id: a
                    shell: {script: "echo a >> %1$s/log"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log"}
                  - id: c
                    shell: {script: "echo c >> %1$s/log"}
                  - id: d
                    shell: {script: "echo d >> %1$s/log; test -e %1$s/flag"}
                """.formatted(dir);
        Path rb = Cli.write(dir, "rb.yaml", text);
        assertThat(run("run", rb.toString()).code()).isEqualTo(1);
        String oldText = Files.readString(rb);
        // A comment and a quoting change leave step a's definition as it was; b really changes.
        Files.writeString(rb, text
                .replace("  - id: a\n", "  # the first step\n  - id: a\n")
                .replace("echo b >>", "echo b2 >>")
                .replace("{script: \"echo c >> %s/log\"}".formatted(dir), "{script: 'echo c >> %s/log'}".formatted(dir)));
        Files.writeString(dir.resolve("flag"), "");
        Cli.Result r = run("resume");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Changed since the run began: b (step 'b' and every step after it run again)")
                .contains("Kept from before (not run again): a");
        assertThat(Cli.lines(log())).containsExactly("a", "b", "c", "d", "b2", "c", "d");
        RunDir run = Cli.onlyRun(state());
        assertThat(run.state().resumes().get(0).changed()).containsExactly("b");
        assertThat(Files.readString(run.runbookCopy())).contains("echo b2");
        try (Stream<Path> files = Files.list(run.dir())) {
            Path kept = files.filter(f -> f.getFileName().toString().matches("runbook-[0-9a-f]{12}\\.yaml")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(kept)).as("the text the run began with is kept").isEqualTo(oldText);
        }
    }

    @Test
    void whenTheRunbookFileIsGoneTheRunsCopyIsUsed() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: gone
                steps:
                  - id: a
                    shell: {script: "echo a >> %1$s/log"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log; test -e %1$s/flag"}
                """.formatted(dir));
        assertThat(run("run", rb.toString()).code()).isEqualTo(1);
        Files.delete(rb);
        Files.writeString(dir.resolve("flag"), "");
        Cli.Result r = run("resume");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("note: " + rb + " is gone; resuming with the run's copy of the runbook, "
                + Cli.onlyRun(state()).runbookCopy());
        assertThat(Cli.lines(log())).containsExactly("a", "b", "b");
    }

    @Test
    void secretParamsMustBeGivenAgainAndAreNeverWritten() throws Exception {
        String secret = "s3cr3t-Pa55-value";
        String token = "t0ken-value-9876";
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: secrets
                params:
                  user: {default: admin}
                  password: {type: string, secret: true}
                  token: {type: string, secret: true}
                steps:
                  - id: login
                    shell: {script: "echo login-${{ params.user }} >> %1$s/log"}
                  - id: use
                    shell: {script: "test ${{ params.password }} = $(cat %1$s/expected) && test -e %1$s/flag && echo used >> %1$s/log"}
                """.formatted(dir));
        Files.writeString(dir.resolve("expected"), secret);
        assertThat(run("run", rb.toString(), "--set", "password=" + secret, "--set", "token=" + token).code()).isEqualTo(1);
        RunDir runDir = Cli.onlyRun(state());
        long records = runDir.readJournal().lines();
        Files.writeString(dir.resolve("flag"), "");

        Cli.Result missing = run("resume");
        assertThat(missing.code()).as(missing.all()).isEqualTo(2);
        assertThat(missing.err()).contains("secret params are never recorded, so a resume needs them again: password, token");
        assertThat(runDir.readJournal().lines()).as("nothing was recorded").isEqualTo(records);

        Cli.Result changed = run("resume", "--set", "password=" + secret, "--set", "token=" + token, "--set", "user=root");
        assertThat(changed.code()).isEqualTo(2);
        assertThat(changed.err()).contains("param 'user' was 'admin' when the run began: a resume keeps the run's params");

        Cli.Result ok = run("resume", "--set", "password=" + secret, "--set", "token=" + token, "--set", "user=admin");
        assertThat(ok.code()).as(ok.all()).isZero();
        assertThat(Cli.lines(log())).containsExactly("login-admin", "used");
        assertThat(Files.readString(rb)).doesNotContain(secret);
        try (Stream<Path> files = Files.walk(state())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String content = Files.readString(f);
                assertThat(content).as(f.toString()).doesNotContain(secret).doesNotContain(token)
                        .doesNotContain(java.util.Base64.getEncoder().encodeToString(secret.getBytes()));
            }
        }
        assertThat(ok.all()).doesNotContain(secret);
    }

    @Test
    void aTornLastRecordIsAWarningAndADamagedJournalAClearError() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: torn
                steps:
                  - id: a
                    shell: {script: "echo a >> %1$s/log"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log; test -e %1$s/flag"}
                """.formatted(dir));
        assertThat(run("run", rb.toString()).code()).isEqualTo(1);
        RunDir runDir = Cli.onlyRun(state());
        Path journal = runDir.journal();
        String intact = Files.readString(journal);
        // What a power loss in the middle of a write leaves: half a line.
        Files.writeString(journal, intact + "{\"seq\":99,\"type\":\"step-sta", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        Cli.Result status = run("status");
        assertThat(status.code()).isZero();
        assertThat(status.err()).contains("warning: ").contains("the last record is incomplete or damaged");

        List<String> lines = intact.lines().toList();
        String damagedLine = lines.get(1).replace("\"id\":\"a\"", "\"id\":\"x\"");
        List<String> damaged = new java.util.ArrayList<>(lines);
        damaged.set(1, damagedLine);
        Files.writeString(journal, String.join("\n", damaged) + "\n");
        Cli.Result broken = run("resume");
        assertThat(broken.code()).isEqualTo(2);
        assertThat(broken.err()).contains(journal + ": line 2").doesNotContain("Exception").doesNotContain("\tat ");

        Files.writeString(journal, intact + "{\"seq\":99,\"type\":\"step-sta");
        Files.writeString(dir.resolve("flag"), "");
        Cli.Result r = run("resume");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.err()).contains("warning: ").contains("the last record is incomplete or damaged");
        assertThat(runDir.readJournal().warnings()).as("the torn record was cut off before the journal went on").isEmpty();
        assertThat(Cli.lines(log())).containsExactly("a", "b", "b");
    }

    @Test
    void anUnknownRunIdIsAClearError() {
        Cli.Result r = run("resume", "20991231-nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no run '20991231-nope' in " + state().resolve("runs"));
    }

    @Test
    void runFromRefusesAndNamesEverySkippedStepWhoseOutputsAreRead() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: from
                steps:
                  - id: a
                    shell: {script: "echo a >> %1$s/log; echo 1"}
                    capture: {one: "${{ result.stdout.trim() }}"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log; echo 2"}
                    capture: {two: "${{ result.stdout.trim() }}"}
                  - id: c
                    shell: {script: "echo c >> %1$s/log"}
                  - id: d
                    shell: {script: "echo d-${{ steps.a.outputs.one }} >> %1$s/log"}
                  - id: e
                    shell: {script: "echo e-${{ steps.b.outputs.two }} >> %1$s/log"}
                """.formatted(dir));
        Cli.Result refused = run("run", rb.toString(), "--from", "c");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--from c would skip steps whose outputs later steps read")
                .contains("step 'd' reads outputs one of step 'a'")
                .contains("step 'e' reads outputs two of step 'b'");
        assertThat(Cli.lines(log())).isEmpty();
        assertThat(Files.exists(state().resolve("runs")) ? Files.list(state().resolve("runs")).count() : 0)
                .as("a refused run leaves no run behind").isZero();

        Cli.Result fromB = run("run", rb.toString(), "--from", "b");
        assertThat(fromB.code()).isEqualTo(2);
        assertThat(fromB.err()).contains("step 'd' reads outputs one of step 'a'").doesNotContain("of step 'b'");
    }

    @Test
    void runFromSkipsTheStepsBeforeIt() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: from
                steps:
                  - id: a
                    shell: {script: "echo a >> %1$s/log"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log"}
                  - id: c
                    shell: {script: "echo c >> %1$s/log"}
                """.formatted(dir));
        Cli.Result r = run("run", rb.toString(), "--from", "b");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Cli.lines(log())).containsExactly("b", "c");
        RunState s = Cli.onlyRun(state()).state();
        assertThat(s.fromStep()).isEqualTo("b");
        assertThat(s.steps().get("a").state()).isEqualTo(StepState.SKIPPED);
    }

    @Test
    void resumeFromAStepRunsItAndEveryLaterStepAgain() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: from
                steps:
                  - id: probe
                    assert: {that: "true"}
                  - id: a
                    shell: {script: "echo a >> %1$s/log"}
                  - id: b
                    shell: {script: "echo b >> %1$s/log"}
                  - id: c
                    shell: {script: "echo c >> %1$s/log; test -e %1$s/flag"}
                """.formatted(dir));
        assertThat(run("run", rb.toString()).code()).isEqualTo(1);
        Files.writeString(dir.resolve("flag"), "");
        Cli.Result r = run("resume", "--from", "b");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("Kept from before (not run again): a").contains("Resuming at step 'b'")
                .containsPattern("SUCCEEDED +probe +[0-9.]+s");
        assertThat(Cli.lines(log())).containsExactly("a", "b", "c", "b", "c");
        assertThat(Cli.onlyRun(state()).state().resumes().get(0).fromStep()).isEqualTo("b");
    }

    @Test
    void aDryRunHasItsRunAndReportButCannotBeResumed() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: rehearsal
                steps:
                  - id: look
                    assert: {that: "true"}
                  - id: change
                    shell: {command: [touch, "%s/changed"]}
                """.formatted(dir));
        Cli.Result dry = run("run", rb.toString(), "--dry-run");
        assertThat(dry.code()).as(dry.all()).isZero();
        assertThat(dir.resolve("changed")).doesNotExist();
        RunDir runDir = Cli.onlyRun(state());
        assertThat(Files.readString(runDir.report())).contains("dry run").contains("touch " + dir + "/changed");
        assertThat(dry.out()).doesNotContain("Continue it with");

        Cli.Result byId = run("resume", runDir.id());
        assertThat(byId.code()).isEqualTo(2);
        assertThat(byId.err()).contains("run " + runDir.id() + " is a dry run, and a dry run can't be resumed");
        Cli.Result latest = run("resume");
        assertThat(latest.code()).isEqualTo(2);
        assertThat(latest.err()).contains("no unfinished run in " + state());
    }

    @Test
    void runsAndStatusShowARealRun() throws Exception {
        Files.writeString(dir.resolve("world"), "ready\n");
        Path rb = procedure();
        assertThat(run("run", rb.toString(), "--yes").code()).isEqualTo(1);
        RunDir runDir = Cli.onlyRun(state());

        Cli.Result runs = run("runs");
        assertThat(runs.code()).as(runs.all()).isZero();
        assertThat(runs.out().lines().toList().get(1)).startsWith(runDir.id()).contains("procedure").contains("failed")
                .endsWith("gate");
        List<?> json = JSON.readValue(run("runs", "--format", "json").out(), List.class);
        assertThat(((Map<?, ?>) json.get(0)).get("state")).isEqualTo("failed");
        assertThat(((Map<?, ?>) json.get(0)).get("currentStep")).isEqualTo("gate");

        Cli.Result status = run("status");
        assertThat(status.code()).as(status.all()).isZero();
        assertThat(status.out()).contains("Run      " + runDir.id()).contains("failed (exit 1)")
                .containsPattern("change +succeeded").containsPattern("gate +failed").containsPattern("after +pending")
                .contains("answer: yes");
        Map<?, ?> one = JSON.readValue(run("status", runDir.id().substring(0, 20), "--format", "json").out(), Map.class);
        assertThat(one.get("state")).isEqualTo("failed");
        assertThat(one.get("exitCode")).isEqualTo(1);
    }
}
