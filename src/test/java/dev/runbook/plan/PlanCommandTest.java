package dev.runbook.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code runbook plan}: every action rendered, classified per SPEC section 4, nothing run, no secret shown. */
class PlanCommandTest {
    static final String SECRET = "Tr0ub4dor&3-horse";

    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() throws IOException {
        runbook = dir.resolve("every-action.yaml");
        Files.writeString(runbook, """
                apiVersion: runbook/v1
                name: every-action
                title: Every action
                params:
                  namespace: {default: apic}
                  backupId: {pattern: '^[0-9]+$', default: "42"}
                  subsys: {default: mgmt}
                  password: {secret: true}
                  marker: {default: "%s"}
                vars:
                  auth: "${{ 'user:' + params.password }}"
                  prefix: "${{ params.backupId + '-' }}"
                targets:
                  backups: {ssh: {host: backups.example.com, user: apic, password: "${{ params.password }}"}}
                  cluster: {kubernetes: {context: prod, namespace: "${{ params.namespace }}"}}
                steps:
                  - id: pods
                    kubectl: {get: pods, selector: app=cassandra}
                    capture:
                      names: "result.items.map(p, p.metadata.name)"
                  - id: apply-secret
                    kubectl:
                      apply:
                        apiVersion: v1
                        kind: Secret
                        metadata: {name: backup-auth}
                        stringData: {password: "${{ params.password }}", auth: "${{ vars.auth }}"}
                  - id: patch
                    kubectl: {patch: deployment, name: portal, merge: {spec: {replicas: 0}}}
                  - id: delete
                    kubectl: {delete: job, name: "restore-${{ params.backupId }}"}
                  - id: logs
                    kubectl: {logs: {pod: "${{ steps.pods.outputs.names[0] }}", tail: 50}}
                  - id: exec
                    kubectl: {exec: {pod: cassandra-0, command: [nodetool, status]}}
                  - id: exec-read
                    kubectl: {exec: {pod: cassandra-0, command: [df, -Pk]}, allowExitCodes: [1]}
                    mutates: false
                  - id: export
                    kubectl: {export: secret, name: encryption, to: out/encryption.yaml}
                  - id: get-but-marked
                    kubectl: {get: pods}
                    mutates: true
                  - id: version
                    apicup: {args: [version]}
                  - id: subsys-get
                    apicup: {args: [subsys, get, "${{ params.subsys }}"]}
                  - id: subsys-list
                    apicup: {args: [subsys, list]}
                  - id: list-backups
                    apicup: {args: [subsys, exec, "${{ params.subsys }}", list-backups], parse: table}
                  - id: health
                    apicup: {args: [health-check]}
                  - id: restore
                    apicup: {args: [subsys, exec, "${{ params.subsys }}", restore, "${{ params.backupId }}"]}
                  - id: unknown-sub
                    apicup: {args: [frobnicate, mgmt]}
                  - id: sub-at-run-time
                    apicup: {args: [subsys, "${{ steps.pods.outputs.names[0] }}"]}
                  - id: restore-marked-read
                    apicup: {args: [subsys, install, mgmt]}
                    mutates: false
                  - id: touch
                    shell: {command: [touch, "%s"]}
                  - id: script
                    shell:
                      script: |
                        touch %s.script
                        curl -u ${{ vars.auth }} -H "X: ${{ params.password.substring(1) }}" https://example.com/${{ params.backupId }}
                      env: {PASSWORD: "${{ params.password }}"}
                  - id: shell-read
                    shell: {command: [uptime]}
                    mutates: false
                  - id: files
                    sftp: {on: backups, list: /backups}
                  - id: stat
                    sftp: {on: backups, stat: "/backups/${{ vars.prefix }}0.tar.gz"}
                  - id: get
                    sftp: {on: backups, get: {from: /backups/a, to: ./a}}
                  - id: put
                    sftp: {on: backups, put: {from: ./a, to: /backups/a}}
                  - id: check
                    assert: {that: "size(steps.pods.outputs.names) > 0", message: "no pods in ${{ params.namespace }}"}
                  - id: go
                    prompt: {message: "Restore ${{ params.backupId }} now?"}
                  - id: write
                    file: {write: "out/${{ params.backupId }}.txt", content: "backup ${{ params.backupId }}", mode: "0600"}
                  - id: read
                    file: {read: out/values.yaml, parse: yaml}
                  - id: section
                    when: "params.password != ''"
                    group:
                      - id: inner
                        shell: {command: [echo, "${{ params.password.upperAscii() }}"]}
                onFailure:
                  - id: diag
                    kubectl: {get: events}
                """.formatted(dir.resolve("marker"), dir.resolve("created-by-plan"), dir.resolve("created-by-plan")));
    }

    Cli.Result plan(String... more) {
        List<String> args = new ArrayList<>(List.of("plan", runbook.toString(), "--set", "password=" + SECRET));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    /** Effect tag of every step in a text plan, by id. */
    static Map<String, String> tags(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            var m = java.util.regex.Pattern.compile("^\\s*\\d+\\. (\\S+)  (\\[[A-Za-z]+\\])").matcher(line);
            if (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }

    @Test
    void everyStepIsTaggedReadMutatesOrPromptAsSpecSectionFourSays() {
        Cli.Result r = plan();
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        Map<String, String> tags = tags(r.out());
        assertThat(tags).containsExactly(
                Map.entry("pods", "[read]"), Map.entry("apply-secret", "[MUTATES]"), Map.entry("patch", "[MUTATES]"),
                Map.entry("delete", "[MUTATES]"), Map.entry("logs", "[read]"), Map.entry("exec", "[MUTATES]"),
                Map.entry("exec-read", "[read]"), Map.entry("export", "[MUTATES]"), Map.entry("get-but-marked", "[MUTATES]"),
                Map.entry("version", "[read]"), Map.entry("subsys-get", "[read]"), Map.entry("subsys-list", "[read]"),
                Map.entry("list-backups", "[read]"), Map.entry("health", "[read]"), Map.entry("restore", "[MUTATES]"),
                Map.entry("unknown-sub", "[MUTATES]"), Map.entry("sub-at-run-time", "[MUTATES]"),
                Map.entry("restore-marked-read", "[read]"), Map.entry("touch", "[MUTATES]"), Map.entry("script", "[MUTATES]"),
                Map.entry("shell-read", "[read]"), Map.entry("files", "[read]"), Map.entry("stat", "[read]"),
                Map.entry("get", "[MUTATES]"), Map.entry("put", "[MUTATES]"), Map.entry("check", "[read]"),
                Map.entry("go", "[prompt]"), Map.entry("write", "[MUTATES]"), Map.entry("read", "[read]"),
                Map.entry("section", "[group]"), Map.entry("inner", "[MUTATES]"), Map.entry("diag", "[read]"));
    }

    @Test
    void actionsAreRenderedWithWhatIsKnownAndTheRestAsTemplates() {
        String out = plan().out();
        assertThat(out).contains("Plan: every-action — Every action")
                .contains("Nothing was run or contacted.")
                .contains("kubectl get pods selector=app=cassandra  (target cluster (context prod, namespace apic))")
                .contains("manifest:\n       apiVersion: v1\n       kind: Secret\n")
                .contains("kubectl patch deployment name=portal  (target cluster")
                .contains("merge:\n       spec:\n         replicas: 0")
                .contains("kubectl delete job name=restore-42 ")
                .contains("kubectl logs pod=${{ steps.pods.outputs.names[0] }} tail=50 ")
                .contains("reads: pods (names)")
                .contains("kubectl exec pod=cassandra-0  (target cluster (context prod, namespace apic))\n     $ nodetool status")
                .contains("$ df -Pk\n     allowExitCodes: [1]")
                .contains("kubectl export secret name=encryption to=out/encryption.yaml")
                .contains("$ apicup subsys exec mgmt list-backups\n     parse: table")
                .contains("$ apicup subsys exec mgmt restore 42")
                .contains("$ apicup subsys ${{ steps.pods.outputs.names[0] }}")
                .contains("sftp stat on backups path=/backups/42-0.tar.gz")
                .contains("sftp get on backups from=/backups/a to=./a")
                .contains("assert size(steps.pods.outputs.names) > 0\n     message: no pods in apic")
                .contains("ask (confirm): Restore 42 now?")
                .contains("file write out/42.txt mode 0600 (text)\n       backup 42")
                .contains("file read out/values.yaml")
                .contains("when: params.password != ''  (reads a secret)")
                .contains("If the run fails:")
                .contains("capture names = result.items.map(p, p.metadata.name)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "json", "markdown"})
    void aSecretNeverAppearsInAnyFormNorDoesAnythingRun(String format) throws IOException {
        Cli.Result r = plan("--format", format);
        assertThat(r.code()).isZero();
        String all = r.all();
        List<String> forbidden = new ArrayList<>(List.of(SECRET, SECRET.substring(1), SECRET.toUpperCase(),
                "user:" + SECRET));
        for (String s : List.copyOf(forbidden)) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            forbidden.add(Base64.getEncoder().encodeToString(b));
            forbidden.add(Base64.getEncoder().withoutPadding().encodeToString(b));
            forbidden.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
        }
        for (String f : forbidden) {
            assertThat(all).as("plan --format " + format).doesNotContain(f);
        }
        assertThat(all).contains("***");
        assertThat(dir.resolve("created-by-plan")).doesNotExist();
        assertThat(dir.resolve("created-by-plan.script")).doesNotExist();
        assertThat(dir.resolve("out")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("every-action.yaml");
        }
    }

    @Test
    void secretsAreMaskedWhereverTheyWouldHaveBeenRendered() {
        String out = plan().out();
        assertThat(out).contains("password = ***")
                .contains("password: '***'")
                .contains("auth: '***'")
                .contains("curl -u *** -H \"X: ***\" https://example.com/'42'")
                .contains("env: {\"PASSWORD\":\"***\"}")
                .contains("$ echo '***'");
    }

    @Test
    void jsonIsTheSamePlanForTools() {
        Cli.Result r = plan("--format", "json");
        assertThat(r.code()).isZero();
        JsonNode plan = JsonMapper.builder().build().readTree(r.out());
        assertThat(plan.get("name").asString()).isEqualTo("every-action");
        assertThat(plan.get("params").get("password").asString()).isEqualTo("***");
        assertThat(plan.get("params").get("backupId").asString()).isEqualTo("42");
        JsonNode steps = plan.get("steps");
        assertThat(steps).hasSize(31);
        JsonNode restore = steps.get(14);
        assertThat(restore.get("id").asString()).isEqualTo("restore");
        assertThat(restore.get("effect").asString()).isEqualTo("[MUTATES]");
        assertThat(restore.get("action").get("argv").toString()).isEqualTo("[\"apicup\",\"subsys\",\"exec\",\"mgmt\",\"restore\",\"42\"]");
        JsonNode logs = steps.get(4);
        assertThat(logs.get("reads").toString()).isEqualTo("[\"pods (names)\"]");
        assertThat(logs.get("action").get("logs").get("pod").asString()).isEqualTo("${{ steps.pods.outputs.names[0] }}");
        JsonNode inner = steps.get(30);
        assertThat(inner.get("id").asString()).isEqualTo("inner");
        assertThat(inner.get("depth").asInt()).isEqualTo(1);
        assertThat(plan.get("onFailure").get(0).get("id").asString()).isEqualTo("diag");
    }

    @Test
    void markdownIsAChecklistWithTheSameTags() {
        Cli.Result r = plan("--format", "markdown");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("# Plan: Every action\n")
                .contains("| `password` | `***` |")
                .contains("### 15. restore `[MUTATES]`\n\n- [ ] step `restore` (apicup)\n")
                .contains("```\n$ apicup subsys exec mgmt restore 42\n```")
                .contains("#### 31. inner `[MUTATES]`")
                .contains("## If the run fails");
    }

    @Test
    void theRunIdIsNotKnownBeforeRunning() throws IOException {
        Path f = dir.resolve("run-id.yaml");
        Files.writeString(f, """
                apiVersion: runbook/v1
                name: run-id
                vars:
                  dir: "${{ 'out/' + run.id }}"
                steps:
                  - id: save
                    file: {write: "${{ vars.dir }}/notes.txt", content: "run ${{ run.id }} dry=${{ run.dryRun }}"}
                """);
        Cli.Result r = Cli.run("plan", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("file write ${{ vars.dir }}/notes.txt (text)\n       run ${{ run.id }} dry=${{ run.dryRun }}");
    }

    @Test
    void planRefusesAnInvalidRunbookOrBadParamsWithExitTwo() throws IOException {
        Cli.Result missing = Cli.run("plan", runbook.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("error: missing required param 'password'\n"
                + "    give it with --set password=VALUE or in a --params file\n");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: runbook/v1\nname: bad\nsteps: []\n");
        Cli.Result invalid = Cli.run("plan", bad.toString());
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).isEqualTo(bad + ":3:8: error: 'steps' must not be empty\n");
        Cli.Result format = Cli.run("plan", runbook.toString(), "--format", "html");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("--format").doesNotContain("Exception");
    }
}
