package dev.runbook.actions.kubectl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import dev.runbook.sandbox.kube.ExecAnswers;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** shell on: {pod} runs through exec, quoted as local scripts; a dry run checks clusters first. */
@Timeout(60)
class PodShellAndPreflightTest {
    @TempDir
    Path dir;
    private KubeRunbooks world;
    private final List<List<String>> commands = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        world = new KubeRunbooks(dir, SandboxApiServer.Options.defaults().withExec((ns, pod, container, command) -> {
            commands.add(List.copyOf(command));
            if (command.contains("fail")) {
                return Optional.of(new ExecAnswers.ExecResult("", "no space left\n", 4));
            }
            return Optional.of(new ExecAnswers.ExecResult("{\"pod\": \"" + pod + "\", \"container\": \"" + container + "\"}\n", "", 0));
        }));
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
    }

    @Test
    void aScriptRunsInThePodUnderBashWithEveryValueOneQuotedWord() throws Exception {
        Path rb = world.write("pod", """
                apiVersion: runbook/v1
                name: pod
                params:
                  dir: {default: "/var/lib/it's here; rm -rf /"}
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s"}}
                steps:
                  - id: du
                    shell:
                      on: {pod: apiconnect-cc-0, container: cassandra}
                      env: {MODE: "a b"}
                      script: du -s ${{ params.dir }}
                      parse: json
                    capture:
                      pod: "${{ result.json.pod }}"
                      code: "${{ result.exitCode }}"
                  - id: argv
                    shell:
                      on: {pod: apiconnect-cc-1}
                      command: [ls, -l, "${{ params.dir }}"]
                  - id: check
                    assert: {that: "${{ steps.du.outputs.pod == 'apiconnect-cc-0' && steps.du.outputs.code == 0 }}"}
                """.formatted(world.kubeconfig));
        Cli.Result r = world.runFile(rb);
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(commands).hasSize(2);
        List<String> script = commands.get(0);
        assertThat(script.subList(0, 5)).containsExactly("bash", "-eu", "-o", "pipefail", "-c");
        assertThat(script.get(5)).contains("export MODE='a b'").contains("du -s '/var/lib/it'\\''s here; rm -rf /'");
        assertThat(commands.get(1)).containsExactly("ls", "-l", "/var/lib/it's here; rm -rf /");
    }

    @Test
    void aFailingCommandInThePodFailsTheStep() {
        Cli.Result r = world.run("fails", """
                - id: broken
                  shell: {on: {pod: apiconnect-cc-0}, command: [fail]}
                """);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).contains("exited with code 4").contains("no space left");
        Cli.Result allowed = world.run("allowed", """
                - id: tolerated
                  shell: {on: {pod: apiconnect-cc-0}, command: [fail], allowExitCodes: [4]}
                """);
        assertThat(allowed.code()).as(allowed.all()).isZero();
    }

    @Test
    void aDryRunChecksThePodsClusterAndRunsNothingInThePod() {
        Cli.Result r = world.run("rehearsed", """
                - id: wipe
                  shell: {on: {pod: apiconnect-cc-0}, script: rm -rf /var/lib/cassandra/data}
                """, "--dry-run");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.all()).contains("kubernetes target cluster").contains("rm -rf /var/lib/cassandra/data");
        assertThat(commands).as("nothing ran in the pod").isEmpty();
    }

    @Test
    void aDryRunChecksTheClusterAnswersAndTheResourceTypesExistBeforeTheFirstStep() throws Exception {
        Cli.Result ok = world.run("fine", """
                - id: pods
                  kubectl: {get: pods}
                """, "--dry-run");
        assertThat(ok.code()).as(ok.all()).isZero();
        assertThat(ok.all()).contains("kubernetes target cluster");

        Cli.Result typo = world.run("typo", """
                - id: pods
                  kubectl: {delete: pdos, name: x}
                """, "--dry-run");
        assertThat(typo.code()).as(typo.all()).isNotZero();
        assertThat(typo.all()).contains("pdos").contains("did you mean");

        Path dead = dir.resolve("dead-kubeconfig");
        Files.writeString(dead, Files.readString(world.kubeconfig).replace(world.server.url(), "http://127.0.0.1:1"));
        Cli.Result unreachable = world.runFile(world.write("dead", """
                apiVersion: runbook/v1
                name: dead
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s"}}
                steps:
                  - id: pods
                    kubectl: {get: pods}
                """.formatted(dead)), "--dry-run");
        assertThat(unreachable.code()).as(unreachable.all()).isNotZero();
        assertThat(unreachable.all()).contains("kubernetes target cluster").contains("127.0.0.1:1").doesNotContain("Exception");
    }
}
