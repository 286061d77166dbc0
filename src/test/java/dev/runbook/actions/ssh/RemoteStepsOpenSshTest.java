package dev.runbook.actions.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.StepState;
import dev.runbook.testing.OpenSshServer;
import dev.runbook.testing.SshAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * shell on an ssh target and sftp, run by the engine against a real sshd on 127.0.0.1: values
 * arrive byte for byte, a timeout leaves nothing behind, files survive a round trip, an
 * unknown host is refused, and a dry run transfers nothing.
 */
@Timeout(120)
class RemoteStepsOpenSshTest {
    static final String HOSTILE = "it's \"quoted\" $(touch x) `touch x` ${HOME} $HOME; touch x && echo x | cat"
            + " \\ \\' '\\'' \n second line\ttab * ? [a] ~ # ! % - -- --x=y \u00e9\u4e2d";

    static OpenSshServer server;
    static Path knownHosts;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
        knownHosts = server.trustedKnownHosts();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private String runbook(String knownHostsFile, String steps) {
        return """
                apiVersion: runbook/v1
                name: remote
                params:
                  who: {default: nobody}
                targets:
                  box:
                    ssh: {host: "%s", port: %d, user: "%s", identityFile: "%s", knownHosts: "%s"}
                steps:
                """.formatted(server.host(), server.port(), server.user(), server.userKey("ed25519"), knownHostsFile)
                + steps;
    }

    private StepRun run(String steps, List<String> sets, boolean dryRun) {
        return StepRun.run(dir.resolve(".runbook"), runbook(knownHosts.toString(), steps), sets, dryRun, null);
    }

    @Test
    void commandsAndScriptsRunOnTheHostWithEveryValueArrivingByteForByte() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work dir"));
        StepRun r = run("""
                  - id: argv
                    shell: {on: box, command: [printf, "%%s", "${{ params.who }}"]}
                    capture: {out: "${{ result.stdout }}", code: "${{ result.exitCode }}"}
                  - id: script
                    shell:
                      on: box
                      env: {WHO: "${{ params.who }}"}
                      cwd: "%s"
                      stdin: "${{ params.who }}"
                      script: |
                        printf '%%s|' ${{ params.who }} "$WHO" "$(pwd)" "$(cat)"
                    capture: {out: "${{ result.stdout }}"}
                  - id: json
                    shell: {on: box, command: [echo, '{"a": [1, 2]}'], parse: json}
                    capture: {a: "${{ result.json.a }}", lines: "${{ result.lines }}"}
                  - id: allowed
                    shell: {on: box, script: "echo out; exit 3", allowExitCodes: [3]}
                    capture: {code: "${{ result.exitCode }}"}
                """.formatted(work), List.of("who=" + HOSTILE), false);
        assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
        assertThat(r.step("argv").outputs()).containsEntry("out", HOSTILE).containsEntry("code", 0L);
        assertThat(r.step("script").outputs().get("out"))
                .isEqualTo(HOSTILE + "|" + HOSTILE + "|" + work + "|" + HOSTILE + "|");
        assertThat(r.step("json").outputs()).containsEntry("a", List.of(1L, 2L)).containsEntry("lines", List.of("{\"a\": [1, 2]}"));
        assertThat(r.step("allowed").outputs()).containsEntry("code", 3L);
        assertThat(r.output).contains("allowed | out");
        assertThat(Files.exists(work.resolve("x"))).isFalse();
    }

    @Test
    void aFailingCommandFailsTheStepWithItsExitCodeAndLastLines() {
        StepRun r = run("""
                  - id: fails
                    shell: {on: box, script: "echo 'disk full' >&2; exit 4"}
                """, List.of(), false);
        assertThat(r.step("fails").state()).isEqualTo(StepState.FAILED);
        assertThat(r.step("fails").error()).contains("exited with code 4 on box").contains("disk full");
    }

    @Test
    void aTimedOutCommandIsStoppedOnTheHost() throws Exception {
        String seconds = "31" + (100 + new Random().nextInt(800)) + ".5";
        long started = System.nanoTime();
        StepRun r = run("""
                  - id: slow
                    timeout: 1s
                    shell: {on: box, command: [sleep, "%s"]}
                """.formatted(seconds), List.of(), false);
        assertThat(r.step("slow").state()).isEqualTo(StepState.FAILED);
        assertThat(r.step("slow").error()).contains("timed out after 1s").contains("stopped");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
        Process p = new ProcessBuilder("pgrep", "-f", "sleep " + seconds).start();
        assertThat(p.waitFor()).as("no 'sleep %s' left on the host", seconds).isEqualTo(1);
    }

    @Test
    void anInterruptedRunStopsTheCommandOnTheHost() throws Exception {
        String seconds = "32" + (100 + new Random().nextInt(800)) + ".5";
        StepRun r = new StepRun();
        r.onStart = step -> Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            r.engine.interrupt();
        });
        r.go(dir.resolve(".runbook"), runbook(knownHosts.toString(), """
                  - id: slow
                    shell: {on: box, script: "sleep %s; echo never"}
                """.formatted(seconds)), List.of(), false, null, null);
        assertThat(r.step("slow").state()).isEqualTo(StepState.INTERRUPTED);
        Process p = new ProcessBuilder("pgrep", "-f", "sleep " + seconds).start();
        assertThat(p.waitFor()).as("no 'sleep %s' left on the host", seconds).isEqualTo(1);
    }

    @Test
    void aPasswordLogsInAndIsASecretFromThenOn() throws Exception {
        String password = server.passwordUser();
        String rb = """
                apiVersion: runbook/v1
                name: password
                params:
                  pw: {type: string}
                targets:
                  box: {ssh: {host: "%s", port: %d, user: %s, password: "${{ params.pw }}", knownHosts: "%s"}}
                steps:
                  - id: who
                    shell: {on: box, command: [sh, -c, 'id -un; echo "$1"', sh, "${{ params.pw }}"]}
                """.formatted(server.host(), server.port(), OpenSshServer.PASSWORD_USER, knownHosts);
        StepRun r = StepRun.run(dir.resolve(".runbook"), rb, List.of("pw=" + password), false, null);
        assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
        assertThat(r.output).contains("who | " + OpenSshServer.PASSWORD_USER);
        assertThat(String.join("\n", r.output)).doesNotContain(password);
    }

    @Test
    void theAgentOfTheRunsEnvironmentLogsInWithoutAnIdentityFile() throws Exception {
        String rb = """
                apiVersion: runbook/v1
                name: agent
                targets:
                  box: {ssh: {host: "%s", port: %d, user: "%s", knownHosts: "%s"}}
                steps:
                  - id: who
                    shell: {on: box, command: [id, -un]}
                    capture: {who: "${{ result.stdout.trim() }}"}
                """.formatted(server.host(), server.port(), server.user(), knownHosts);
        try (SshAgent agent = SshAgent.start(dir)) {
            agent.add(server.userKey("rsa"));
            StepRun r = new StepRun();
            r.env = Map.of("SSH_AUTH_SOCK", agent.socket().toString());
            r.go(dir.resolve(".runbook"), rb, List.of(), false, null, null);
            assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
            assertThat(r.step("who").outputs()).containsEntry("who", server.user());
        }
    }

    @Test
    void sftpPutsAndGetsFilesByteForByteAndListsAndStatsThem() throws Exception {
        Path remote = Files.createDirectory(dir.resolve("remote"));
        Path local = Files.createDirectory(dir.resolve("local"));
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Files.write(local.resolve("blob.bin"), bytes);
        StepRun r = run("""
                  - id: put
                    sftp: {on: box, put: {from: "%1$s/blob.bin", to: "%2$s"}}
                    capture: {to: "${{ result.to }}", bytes: "${{ result.bytes }}"}
                  - id: list
                    sftp: {on: box, list: "%2$s"}
                    capture: {files: "${{ result.files }}"}
                  - id: stat
                    sftp: {on: box, stat: "%2$s/blob.bin"}
                    capture: {size: "${{ result.size }}", mode: "${{ result.mode }}", dir: "${{ result.dir }}"}
                  - id: get
                    sftp: {on: box, get: {from: "%2$s/blob.bin", to: "%1$s/back.bin"}}
                    capture: {to: "${{ result.to }}", bytes: "${{ result.bytes }}"}
                """.formatted(local, remote), List.of(), false);
        assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
        assertThat(r.step("put").outputs()).containsEntry("to", remote.resolve("blob.bin").toString())
                .containsEntry("bytes", 300_000L);
        assertThat(Files.readAllBytes(remote.resolve("blob.bin"))).isEqualTo(bytes);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) r.step("list").outputs().get("files");
        assertThat(files).hasSize(1);
        assertThat(files.get(0)).containsEntry("name", "blob.bin").containsEntry("size", 300_000L)
                .containsEntry("dir", false).containsKey("mtime");
        assertThat(r.step("stat").outputs()).containsEntry("size", 300_000L).containsEntry("dir", false);
        assertThat((String) r.step("stat").outputs().get("mode")).matches("0[0-7]{3}");
        assertThat(Files.readAllBytes(local.resolve("back.bin"))).isEqualTo(bytes);
        assertThat(r.step("get").outputs()).containsEntry("bytes", 300_000L);
    }

    @Test
    void aDryRunListsButDownloadsNothing() throws Exception {
        Path remote = Files.createDirectory(dir.resolve("remote"));
        Files.writeString(remote.resolve("db.tar.gz"), "backup");
        Path to = dir.resolve("db.tar.gz");
        StepRun r = run("""
                  - id: list
                    sftp: {on: box, list: "%1$s"}
                    capture: {names: "${{ result.files.map(f, f.name) }}"}
                  - id: download
                    sftp: {on: box, get: {from: "%1$s/db.tar.gz", to: "%2$s"}}
                """.formatted(remote, to), List.of(), true);
        assertThat(r.step("list").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(r.step("list").outputs()).containsEntry("names", List.of("db.tar.gz"));
        assertThat(r.step("download").state()).isEqualTo(StepState.WOULD_RUN);
        assertThat(String.valueOf(r.step("download").wouldRun())).contains("download " + remote + "/db.tar.gz from box to " + to);
        assertThat(Files.exists(to)).isFalse();
        assertThat(r.preflight).anySatisfy(q -> {
            assertThat(q.what()).isEqualTo("ssh target box");
            assertThat(q.ok()).as(q.detail()).isTrue();
        });
    }

    @Test
    void anUnknownHostKeyIsRefusedWithItsFingerprint() throws Exception {
        Path strangers = Files.createTempFile(dir, "known", "");
        server.knownHosts(strangers, server.knownHostsName() + " " + server.strangerPublicKey());
        StepRun r = StepRun.run(dir.resolve(".runbook"), runbook(strangers.toString(), """
                  - id: hello
                    shell: {on: box, command: [echo, hi]}
                """), List.of(), false, null);
        assertThat(r.step("hello").state()).isEqualTo(StepState.FAILED);
        assertThat(r.step("hello").error()).contains("SHA256:");
    }

    @Test
    void skippingTheHostKeyCheckConnectsAndWarnsOncePerRun() throws Exception {
        Path strangers = Files.createTempFile(dir, "known", "");
        server.knownHosts(strangers, server.knownHostsName() + " " + server.strangerPublicKey());
        String rb = runbook(strangers.toString(), """
                  - id: one
                    shell: {on: box, command: [echo, one]}
                  - id: two
                    shell: {on: box, command: [echo, two]}
                """).replace("knownHosts:", "insecureSkipHostKeyCheck: true, knownHosts:");
        StepRun r = StepRun.run(dir.resolve(".runbook"), rb, List.of(), false, null);
        assertThat(r.outcome.exitCode()).as(r.results.toString()).isZero();
        assertThat(r.output).filteredOn(l -> l.contains("insecureSkipHostKeyCheck")).hasSize(1)
                .allSatisfy(l -> assertThat(l).startsWith("one ! ").contains("host key of 127.0.0.1 is not checked"));
    }

    @Test
    void aDryRunChecksTheHostAndTheProgramsRemoteStepsNeed() {
        String missing = "no-such-program-" + UUID.randomUUID().toString().substring(0, 8);
        StepRun r = run("""
                  - id: present
                    shell: {on: box, command: [uname, -a]}
                  - id: absent
                    shell: {on: box, command: [%s]}
                """.formatted(missing), List.of(), true);
        assertThat(r.preflight).anySatisfy(q -> {
            assertThat(q.what()).isEqualTo("executable uname on box");
            assertThat(q.ok()).isTrue();
        });
        assertThat(r.preflight).anySatisfy(q -> {
            assertThat(q.what()).isEqualTo("executable " + missing + " on box");
            assertThat(q.ok()).isFalse();
            assertThat(q.detail()).contains("not found");
        });
    }
}
