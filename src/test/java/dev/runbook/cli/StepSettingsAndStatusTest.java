package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPEC section 2: durations and counts from params, an until that gives no boolean, and steps
 * that react to a failure by reading its status.
 */
class StepSettingsAndStatusTest {
    @TempDir
    Path dir;

    private Cli.Result run(Path runbook, String... more) {
        String[] args = new String[more.length + 4];
        args[0] = "run";
        args[1] = runbook.toString();
        args[2] = "--state-dir";
        args[3] = dir.resolve("state").toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return Cli.run(args);
    }

    private Path retrying() throws Exception {
        return Cli.write(dir, "retry.yaml", """
                apiVersion: runbook/v1
                name: retry
                params:
                  tries: {type: integer, default: 0}
                  pause: {default: 10ms}
                  counter: {}
                steps:
                  - id: flaky
                    retries: "${{ params.tries }}"
                    interval: "${{ params.pause }}"
                    shell:
                      script: |
                        echo x >> ${{ params.counter }}
                        exit 1
                """);
    }

    @Test
    void retriesAndIntervalComeFromParams() throws Exception {
        Path counter = dir.resolve("count");
        Cli.Result r = run(retrying(), "--set", "tries=2", "--set", "counter=" + counter);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(Cli.lines(counter)).as("one attempt and two retries").hasSize(3);
    }

    @Test
    void aParamThatIsNotADurationIsRefusedBeforeAnythingRuns() throws Exception {
        Path counter = dir.resolve("count");
        Cli.Result r = run(retrying(), "--set", "pause=ten seconds", "--set", "counter=" + counter);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("step 'flaky': interval ${{ params.pause }} gave 'ten seconds', not a duration")
                .contains("param pause");
        assertThat(Cli.lines(counter)).as("nothing ran").isEmpty();
    }

    @Test
    void aNegativeCountIsRefused() throws Exception {
        Cli.Result r = run(retrying(), "--set", "tries=-1", "--set", "counter=" + dir.resolve("c"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("retries ${{ params.tries }} gave -1, not a count").contains("param tries");
    }

    @Test
    void thePlanShowsTheComputedSettings() throws Exception {
        Path rb = Cli.write(dir, "wait.yaml", """
                apiVersion: runbook/v1
                name: wait
                params:
                  restoreTimeout: {default: 2h}
                steps:
                  - id: wait
                    shell: {command: ["true"]}
                    until: "result.exitCode == 0"
                    timeout: "${{ params.restoreTimeout }}"
                """);
        Cli.Result r = Cli.run("plan", rb.toString(), "--set", "restoreTimeout=90s");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("(every 5s, timeout 1m30s)");
    }

    @Test
    void settingsMayReadOnlyParamsAndVars() throws Exception {
        Path rb = Cli.write(dir, "bad.yaml", """
                apiVersion: runbook/v1
                name: bad
                steps:
                  - id: one
                    shell: {command: ["true"]}
                    capture: {t: "result.stdout"}
                  - id: two
                    shell: {command: ["true"]}
                    timeout: "${{ steps.one.outputs.t }}"
                """);
        Cli.Result r = Cli.run("validate", rb.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml:9:").contains("'steps' is not available in retries, interval and timeout");
    }

    @Test
    void anUntilThatGivesNoBooleanFailsAtOnceInsteadOfWaitingOutItsTimeout() throws Exception {
        Path rb = Cli.write(dir, "until.yaml", """
                apiVersion: runbook/v1
                name: until
                steps:
                  - id: wait
                    shell: {command: [echo, ready]}
                    until: "result.stdout"
                    interval: 1s
                    timeout: 2h
                """);
        Instant start = Instant.now();
        Cli.Result r = run(rb);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.all()).contains("until: result.stdout must give true or false, but gave a string");
        assertThat(Duration.between(start, Instant.now())).as("no waiting").isLessThan(Duration.ofMinutes(1));
    }

    @Test
    void aStepThatReadsOnlyTheStatusOfAFailedStepRunsAndAReaderOfItsOutputsIsBlocked() throws Exception {
        Path marker = dir.resolve("reacted");
        Path rb = Cli.write(dir, "react.yaml", """
                apiVersion: runbook/v1
                name: react
                params:
                  marker: {}
                steps:
                  - id: check
                    onFailure: continue
                    shell: {command: ["false"]}
                    capture: {out: "result.stdout"}
                  - id: react
                    when: "${{ steps.check.status == 'failed' }}"
                    shell: {script: "touch ${{ params.marker }}"}
                  - id: use
                    shell: {command: [echo, "${{ steps.check.outputs.out }}"]}
                """);
        Cli.Result r = run(rb, "--set", "marker=" + marker);
        assertThat(r.code()).isEqualTo(1);
        assertThat(marker).as("the reacting step ran").exists();
        Cli.Result status = Cli.run("status", "--state-dir", dir.resolve("state").toString());
        assertThat(status.out()).containsPattern("react\\s+succeeded").containsPattern("use\\s+blocked");
    }
}
