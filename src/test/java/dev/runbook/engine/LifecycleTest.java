package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The step lifecycle of SPEC section 2, observed through the real CLI running real processes. */
@Timeout(60)
class LifecycleTest {
    @TempDir
    Path dir;

    private Runs.Result run(String yaml, String... extra) throws Exception {
        Path f = Runs.write(dir, "rb.yaml", yaml);
        String[] args = new String[extra.length + 2];
        args[0] = "run";
        args[1] = f.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return Runs.cli(args);
    }

    @Test
    void outputsFlowFromStepToStepAndConditionsDecideWhatRuns() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: flow
                params:
                  name: {default: night}
                steps:
                  - id: greet
                    shell: {command: [echo, "hello ${{ params.name }}"], parse: lines}
                    capture: {line: "${{ result.lines[0] }}"}
                  - id: never
                    when: "${{ params.name == 'day' }}"
                    shell: {command: [touch, %1$s/never-ran]}
                  - id: done-already
                    unless: "${{ true }}"
                    shell: {command: [touch, %1$s/unless-ran]}
                  - id: use
                    shell: {command: [bash, -c, 'printf %%s "$1" > %1$s/got', x, "${{ steps.greet.outputs.line }}"]}
                  - id: status
                    assert:
                      that:
                        - steps.never.status == 'skipped'
                        - steps['done-already'].status == 'satisfied'
                        - steps.greet.status == 'succeeded'
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(dir.resolve("got"))).isEqualTo("hello night");
        assertThat(dir.resolve("never-ran")).doesNotExist();
        assertThat(dir.resolve("unless-ran")).doesNotExist();
        assertThat(r.out()).contains("SKIPPED").contains("when: ${{ params.name == 'day' }} is false".replace("${{ ", "").replace(" }}", ""))
                .contains("SATISFIED").contains("Result: SUCCEEDED (exit 0)");
    }

    @Test
    void forEachOutputsAreListsInElementOrder() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: loop
                steps:
                  - id: each
                    forEach: [3, 1, 2]
                    parallel: 3
                    shell: {script: "sleep 0.${{ item }}; echo ${{ item }}-${{ index }}", parse: lines}
                    capture: {v: "${{ result.lines[0] }}"}
                  - id: check
                    assert:
                      that: "steps.each.outputs.v == ['3-0', '1-1', '2-2']"
                """);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("[0] 3-0").contains("[1] 1-1").contains("[2] 2-2");
    }

    @Test
    void parallelForEachRunsElementsAtTheSameTime() throws Exception {
        // Each element waits until the other one has started: only possible when both run at once.
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: together
                steps:
                  - id: pair
                    forEach: [a, b]
                    parallel: 2
                    timeout: 20s
                    shell:
                      script: |
                        touch %1$s/started-${{ item }}
                        other=${{ item == 'a' ? 'b' : 'a' }}
                        while [ ! -e %1$s/started-$other ]; do sleep 0.05; done
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void untilRepeatsTheActionUntilTheConditionHolds() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: wait
                steps:
                  - id: poll
                    shell:
                      script: |
                        n=$(cat %1$s/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > %1$s/n; echo $n
                    until: "${{ result.stdout.trim() == '3' }}"
                    interval: 100ms
                    timeout: 20s
                    capture: {n: "${{ int(result.stdout.trim()) }}"}
                  - id: check
                    assert: {that: "steps.poll.outputs.n == 3"}
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("waiting for until: attempt 1, 0:00 elapsed of 20s; last: false (output: 1)");
    }

    @Test
    void untilFailsAtItsTimeoutWithTheLastValue() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: wait
                steps:
                  - id: poll
                    shell: {command: [echo, not-yet]}
                    until: "${{ result.stdout.trim() == 'ready' }}"
                    interval: 200ms
                    timeout: 1s
                  - id: after
                    shell: {command: [touch, %s/after]}
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out()).contains("did not hold within 1s").contains("last: false (output: not-yet)");
        assertThat(dir.resolve("after")).doesNotExist();
    }

    @Test
    void retriesRunAFailedActionAgain() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: flaky
                steps:
                  - id: flaky
                    retries: 2
                    interval: 100ms
                    shell:
                      script: |
                        n=$(cat %1$s/n 2>/dev/null || echo 0); n=$((n+1)); echo $n > %1$s/n
                        [ "$n" -ge 3 ] || { echo "attempt $n failed" >&2; exit 7; }
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).contains("attempt 1 failed; trying again in 100ms").contains("RETRY 3").contains("(3 attempts)");
    }

    @Test
    void continueOnFailureBlocksOnlyTheDependentsAndTheRunStillFails() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: partial
                steps:
                  - id: breaks
                    onFailure: continue
                    shell: {command: [bash, -c, "echo boom >&2; exit 4"]}
                    capture: {x: "${{ result.stdout }}"}
                  - id: reads-it
                    shell: {command: [echo, "${{ steps.breaks.outputs.x }}"]}
                  - id: needs-it
                    needs: [reads-it]
                    shell: {command: [touch, %1$s/needs-it]}
                  - id: independent
                    shell: {command: [touch, %1$s/independent]}
                onFailure:
                  - id: diagnostics
                    shell: {command: [touch, %1$s/diagnostics]}
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(dir.resolve("independent")).exists();
        assertThat(dir.resolve("needs-it")).doesNotExist();
        assertThat(dir.resolve("diagnostics")).exists();
        assertThat(r.out()).contains("exited with code 4").contains("boom")
                .containsPattern("BLOCKED +reads-it +\\(depends on step 'breaks', which failed\\)")
                .containsPattern("BLOCKED +needs-it +\\(depends on step 'reads-it', which blocked\\)");
    }

    @Test
    void aFailureAbortsTheRunAndOnFailureStepsRunOnce() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: abort
                steps:
                  - id: section
                    group:
                      steps:
                        - id: fails
                          shell: {command: ["false"]}
                        - id: not-reached
                          shell: {command: [touch, %1$s/not-reached]}
                  - id: after
                    shell: {command: [touch, %1$s/after]}
                onFailure:
                  - id: collect
                    shell: {script: "echo collected >> %1$s/collect"}
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(dir.resolve("not-reached")).doesNotExist();
        assertThat(dir.resolve("after")).doesNotExist();
        assertThat(Files.readString(dir.resolve("collect"))).isEqualTo("collected\n");
        assertThat(r.out()).contains("Result: FAILED (exit 1): step 'fails' failed: 'false' exited with code 1")
                .containsPattern("after +PENDING +\\(not reached\\)");
    }

    @Test
    void aSuccessfulRunDoesNotRunTheOnFailureSteps() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: ok
                steps:
                  - id: fine
                    shell: {command: ["true"]}
                onFailure:
                  - id: collect
                    shell: {command: [touch, %s/collect]}
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dir.resolve("collect")).doesNotExist();
    }

    @Test
    void allowExitCodesAndParsedOutput() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: parse
                steps:
                  - id: grep-nothing
                    shell: {command: [grep, -q, absent, /dev/null], allowExitCodes: [1]}
                    capture: {code: "${{ result.exitCode }}"}
                  - id: json
                    shell: {command: [echo, '{"items": [{"name": "a"}, {"name": "b"}]}'], parse: json}
                    capture: {names: "${{ result.json.items.map(i, i.name) }}"}
                  - id: yaml
                    shell: {script: "printf 'a: 1\\nb: [x, y]\\n'", parse: yaml}
                    capture: {b: "${{ result.json.b }}"}
                  - id: stdin
                    shell: {command: [tr, a-z, A-Z], stdin: "shout ${{ steps.json.outputs.names[1] }}"}
                    capture: {up: "${{ result.stdout }}"}
                  - id: env-cwd
                    shell: {script: 'echo "$GREETING in $(pwd)"', env: {GREETING: hi}, cwd: "%s"}
                    capture: {line: "${{ result.lines[0] }}"}
                  - id: check
                    assert:
                      that:
                        - steps['grep-nothing'].outputs.code == 1
                        - steps.json.outputs.names == ['a', 'b']
                        - steps.yaml.outputs.b == ['x', 'y']
                        - steps.stdin.outputs.up == 'SHOUT B'
                        - steps['env-cwd'].outputs.line == 'hi in %s'
                """.formatted(dir, dir.toRealPath()));
        assertThat(r.code()).as(r.all()).isZero();
    }

    @Test
    void aBadJsonOutputFailsTheStepClearly() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: parse
                steps:
                  - id: notjson
                    shell: {command: [echo, "not json"], parse: json}
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("is not valid JSON (parse: json)");
    }

    @Test
    void aMissingExecutableIsAClearFailure() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: missing
                steps:
                  - id: nope
                    shell: {command: [no-such-program-xyz, arg]}
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cannot run 'no-such-program-xyz': not found on PATH");
    }

    @Test
    void fromSkipsEarlierStepsAndRefusesWhenTheirOutputsAreRead() throws Exception {
        String yaml = """
                apiVersion: runbook/v1
                name: from
                steps:
                  - id: first
                    shell: {command: [touch, %1$s/first]}
                  - id: second
                    shell: {command: [touch, %1$s/second]}
                    capture: {x: "${{ result.exitCode }}"}
                  - id: third
                    shell: {command: [touch, %1$s/third]}
                  - id: fourth
                    shell: {command: [echo, "${{ steps.second.outputs.x }}"]}
                """.formatted(dir);
        Runs.Result ok = run(yaml.replace("${{ steps.second.outputs.x }}", "plain"), "--from", "third");
        assertThat(ok.code()).as(ok.all()).isZero();
        assertThat(dir.resolve("first")).doesNotExist();
        assertThat(dir.resolve("third")).exists();
        assertThat(ok.out()).contains("(before --from third)");

        Runs.Result refused = run(yaml, "--from", "third");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("--from third would skip steps whose outputs later steps read")
                .contains("step 'fourth' reads outputs x of step 'second'");
        Runs.Result unknown = run(yaml, "--from", "thrid");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("no such step (did you mean 'third'?)");
    }

    @Test
    void aClusterThatCannotBeReachedFailsClearlyWithExitOne() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: kube
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s/no-kubeconfig"}}
                steps:
                  - id: pods
                    kubectl: {get: pods}
                """.formatted(dir));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("no-kubeconfig does not exist");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aFolderThatIsNotASandboxIsRefusedBeforeAnythingRuns() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: s
                steps:
                  - id: a
                    shell: {command: ["true"]}
                """, "--sandbox", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not a sandbox: it has none of cluster/, hosts/, bin/");
    }

    @Test
    void theMembersOfAGroupThatDoesNotRunShareItsState() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: groups
                params:
                  dr: {type: boolean, default: false}
                steps:
                  - id: dr-only
                    when: params.dr
                    group:
                      steps:
                        - id: reinstall
                          shell: {command: [touch, %1$s/reinstalled]}
                        - id: nested
                          group:
                            steps:
                              - id: deep
                                shell: {command: [touch, %1$s/deep]}
                  - id: after
                    assert:
                      that:
                        - steps.reinstall.status == 'skipped'
                        - steps.deep.status == 'skipped'
                """.formatted(dir));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(dir.resolve("reinstalled")).doesNotExist();
        assertThat(r.out()).containsPattern("SKIPPED +  reinstall +\\(group 'dr-only' is skipped\\)")
                .containsPattern("SKIPPED +    deep");
    }

    @Test
    void readingTheOutputOfASkippedStepSaysWhyItIsMissing() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: skipped
                steps:
                  - id: a
                    when: "false"
                    shell: {command: [echo, x]}
                    capture: {line: "${{ result.stdout }}"}
                  - id: b
                    shell: {command: [echo, "${{ steps.a.outputs.line }}"]}
                """);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cannot compute command: no key 'line' "
                + "(step 'a' was skipped, so it has no outputs)");
    }

    @Test
    void aFailingElementFailsTheForEachStepAndNamesTheElement() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: each
                steps:
                  - id: each
                    forEach: [ok, bad, never]
                    shell: {script: "[ ${{ item }} != bad ] && touch %1$s/${{ item }}"}
                """.formatted(dir));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("item 1 (bad): the script exited with code 1");
        assertThat(dir.resolve("ok")).exists();
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void badParamsAreUsageErrorsBeforeAnythingRuns() throws Exception {
        Runs.Result r = run("""
                apiVersion: runbook/v1
                name: params
                params:
                  count: {type: integer}
                  password: {secret: true}
                steps:
                  - id: a
                    shell: {command: [touch, %s/ran]}
                """.formatted(dir), "--set", "count=many");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("param 'count' must be an integer").contains("missing required param 'password'");
        assertThat(dir.resolve("ran")).doesNotExist();
    }
}
