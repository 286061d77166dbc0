package dev.runbook.actions.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.ActionException;
import dev.runbook.engine.SimulatedWorld;
import dev.runbook.engine.StepState;
import dev.runbook.sandbox.ssh.CommandAnswer;
import dev.runbook.sandbox.ssh.SandboxSshHost;
import dev.runbook.sandbox.ssh.SandboxSshHosts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps on ssh targets in a sandbox run: the target's host is served by a simulated host whose
 * key is trusted for the run only, files come from its folder, commands are answered by rules.
 */
@Timeout(60)
class RemoteStepsSandboxTest {
    @TempDir
    Path dir;

    /** What a sandbox run offers, reduced to the ssh hosts. */
    record World(Path root, SandboxSshHosts hosts) implements SimulatedWorld {
        @Override
        public Path kubeconfig() {
            return root.resolve("kubeconfig");
        }

        @Override
        public String namespace() {
            return "default";
        }

        @Override
        public SshEndpoint sshHost(String host) throws ActionException {
            SandboxSshHost h = hosts.find(host).orElseThrow(
                    () -> new ActionException("no simulated host " + host + ": create hosts/" + host + "/"));
            return new SshEndpoint(h.address(), h.port(), h.hostKey(), h.knownHostsLine());
        }

        @Override
        public Map<String, String> processEnvironment() {
            return Map.of();
        }
    }

    @Test
    void sftpAndCommandsReachTheSimulatedHost() throws Exception {
        Path hosts = dir.resolve("hosts");
        Path backups = Files.createDirectories(hosts.resolve("backups.example.com/backups"));
        Files.writeString(backups.resolve("db-1.tar.gz"), "first");
        Files.writeString(backups.resolve("db-2.tar.gz"), "second!");
        String rb = """
                apiVersion: runbook/v1
                name: sandboxed
                targets:
                  backups:
                    ssh: {host: backups.example.com, user: apicbackup, identityFile: /nowhere/id_ed25519, sudo: true}
                steps:
                  - id: files
                    sftp: {on: backups, list: /backups}
                    capture: {names: "${{ result.files.map(f, f.name) }}", sizes: "${{ result.files.map(f, f.size) }}"}
                  - id: check
                    shell: {on: backups, command: [tar, -tzf, /backups/db-2.tar.gz], stdin: "input"}
                    capture: {out: "${{ result.stdout }}", code: "${{ result.exitCode }}"}
                  - id: download
                    sftp: {on: backups, get: {from: /backups/db-2.tar.gz, to: "%s"}}
                    capture: {to: "${{ result.to }}", bytes: "${{ result.bytes }}"}
                  - id: unanswered
                    shell: {on: backups, script: "rm -rf /"}
                """.formatted(dir);
        try (SandboxSshHosts running = SandboxSshHosts.startAll(hosts, request -> {
            if (request.command().equals("tar -tzf /backups/db-2.tar.gz")) {
                return Optional.of(CommandAnswer.of("db.sql\n" + new String(request.stdin(), StandardCharsets.UTF_8) + "\n", "", 0));
            }
            return Optional.empty();
        })) {
            StepRun r = StepRun.run(dir.resolve(".runbook"), rb, List.of(), false, new World(dir, running));
            assertThat(r.step("files").outputs()).containsEntry("names", List.of("db-1.tar.gz", "db-2.tar.gz"))
                    .containsEntry("sizes", List.of(5L, 7L));
            assertThat(r.step("check").outputs()).containsEntry("out", "db.sql\ninput\n").containsEntry("code", 0L);
            assertThat(r.output).contains("check | db.sql");
            assertThat(r.step("unanswered").state()).isEqualTo(StepState.FAILED);
            assertThat(r.step("unanswered").error()).contains("exited with code 127").contains("no exec answer for 'rm -rf /'");
            assertThat(r.step("download").outputs()).containsEntry("to", dir.resolve("db-2.tar.gz").toString())
                    .containsEntry("bytes", 7L);
            assertThat(Files.readString(dir.resolve("db-2.tar.gz"))).isEqualTo("second!");
        }
    }

    @Test
    void aHostWithoutAFolderFailsItsStepNamingTheFolder() throws Exception {
        Path hosts = Files.createDirectories(dir.resolve("hosts"));
        try (SandboxSshHosts running = SandboxSshHosts.startAll(hosts, request -> Optional.empty())) {
            StepRun r = StepRun.run(dir.resolve(".runbook"), """
                    apiVersion: runbook/v1
                    name: sandboxed
                    targets:
                      db: {ssh: {host: db.example.com}}
                    steps:
                      - id: hello
                        shell: {on: db, command: [hostname]}
                    """, List.of(), false, new World(dir, running));
            assertThat(r.step("hello").state()).isEqualTo(StepState.FAILED);
            assertThat(r.step("hello").error()).contains("hosts/db.example.com/");
        }
    }
}
