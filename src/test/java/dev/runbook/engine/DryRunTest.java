package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --dry-run}: reads run for real, mutating steps are only shown, nothing is written. */
@Timeout(90)
class DryRunTest {
    @TempDir
    Path dir;

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void readsRunMutatingStepsAreShownExactlyAndNothingIsWritten() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: rehearse
                params:
                  target: {default: "db one"}
                steps:
                  - id: look
                    mutates: false
                    shell: {command: [bash, -c, "echo 3 > %1$s/looked; echo 3"]}
                    capture: {n: "${{ int(result.stdout.trim()) }}"}
                  - id: check
                    assert: {that: "steps.look.outputs.n == 3"}
                  - id: change
                    shell: {command: [touch, "%1$s/changed-${{ steps.look.outputs.n }}", "${{ params.target }}"]}
                    capture: {code: "${{ result.exitCode }}"}
                  - id: scripted
                    shell:
                      script: |
                        rm -rf -- ${{ params.target }}
                  - id: write
                    file: {write: "%1$s/written", content: "n=${{ steps.look.outputs.n }}", mode: "0600"}
                  - id: confirm
                    prompt: {message: "Restore ${{ params.target }} with ${{ steps.look.outputs.n }} files?"}
                  - id: uses-change
                    assert: {that: "steps.change.outputs.code == 0"}
                  - id: mutating-uses-change
                    shell: {command: [echo, "${{ steps.change.outputs.code }}"]}
                  - id: not-in-dry-run
                    when: "!run.dryRun"
                    mutates: false
                    shell: {command: [touch, "%1$s/real-only"]}
                """.formatted(dir));
        List<String> before = files();
        Process p = Runs.start(dir, Map.of(), "run", rb.toString(), "--dry-run", "--state-dir", dir.resolve("state").toString());
        Runs.Result r = Runs.finish(p, dir, 60);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(dir.resolve("looked"))).isEqualTo("3\n");
        List<String> after = new java.util.ArrayList<>(files());
        after.removeAll(List.of("looked", "stdout.txt", "stderr.txt"));
        // The state directory is the one place a dry run writes to: its journal and report.
        after.removeIf(f -> f.equals("state") || f.startsWith("state/"));
        assertThat(after).as("nothing written but what the read step wrote").containsExactlyElementsOf(before);
        try (Stream<Path> runs = Files.list(dir.resolve("state/runs"))) {
            Path run = runs.findFirst().orElseThrow();
            assertThat(Files.readString(run.resolve("report.md"))).contains("dry run").contains("what a real run would run").contains("touch " + dir + "/changed-3");
        }
        assertThat(r.out())
                .contains("DRY RUN")
                .contains("Preflight: what a real run needs").contains("ok       executable bash").contains("ok       executable touch")
                .containsPattern("WOULD-RUN +change")
                .contains("touch " + dir + "/changed-3 'db one'")
                .contains("rm -rf -- 'db one'")
                .contains("write: " + dir + "/written").contains("mode: 0600").contains("content: n=3")
                .contains("prompt: Restore db one with 3 files?")
                .containsPattern("SKIPPED +uses-change +\\(not rehearsable: reads step 'change', whose outputs a dry run does not produce\\)")
                .containsPattern("WOULD-RUN +mutating-uses-change .*some values are known only in a real run")
                .contains("echo '${{ steps.change.outputs.code }}'")
                .containsPattern("SKIPPED +not-in-dry-run")
                .contains("Result: SUCCEEDED (exit 0): dry run passed");
    }

    @Test
    void aFailingReadFailsTheRehearsal() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: rehearse
                steps:
                  - id: precondition
                    assert: {that: "1 == 2", message: "the cluster is not ready"}
                  - id: change
                    shell: {command: [touch, "%s/changed"]}
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString(), "--dry-run");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("the cluster is not ready");
    }

    @Test
    void thePreflightReportsWhatARealRunWouldMiss() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: rehearse
                params:
                  legacy: {type: boolean, default: false}
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s/no-kubeconfig"}}
                steps:
                  - id: tool
                    shell: {command: [no-such-tool-xyz, --version]}
                  - id: old-tool
                    when: params.legacy
                    shell: {command: [no-such-legacy-tool-xyz]}
                  - id: pods
                    kubectl: {get: pods}
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString(), "--dry-run");
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.out())
                .contains("MISSING  executable no-such-tool-xyz: not found on PATH  (steps: tool)")
                .contains("MISSING  kubernetes target cluster: kubeconfig " + dir + "/no-kubeconfig does not exist  (steps: pods)")
                .doesNotContain("no-such-legacy-tool-xyz")
                .containsPattern("WOULD-RUN +tool");
    }
}
