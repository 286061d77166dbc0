package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.sandbox.kube.ExecAnswers;
import dev.runbook.sandbox.ssh.CommandAnswer;
import dev.runbook.sandbox.ssh.ExecRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxConfigTest {
    @TempDir
    Path dir;

    SandboxConfig read(String yaml) throws Exception {
        Files.writeString(dir.resolve("sandbox.yaml"), yaml);
        return SandboxConfig.read(dir);
    }

    @Test
    void theFirstMatchingRuleAnswersPodsHostsAndLogs() throws Exception {
        SandboxConfig c = read("""
                namespace: apiconnect
                exec:
                  - pod: "*-cc-*"
                    container: cassandra
                    match: "df /var/db"
                    stdout: "4096000\\n"
                  - pod: "*"
                    match: "df"
                    stdout: "other\\n"
                    exitCode: 3
                  - host: backups.example.com
                    match: "tar -tzf .*-1-3\\\\.tar\\\\.gz"
                    stderr: "gzip: stdin: unexpected end of file\\n"
                    exitCode: 2
                logs:
                  - pod: "restore-*"
                    text: "restore finished\\n"
                """);
        assertThat(c.namespace()).isEqualTo("apiconnect");
        var pods = RuleAnswers.pods(c);
        assertThat(pods.answer("apiconnect", "m1-cc-0", "cassandra", List.of("df", "/var/db")))
                .contains(new ExecAnswers.ExecResult("4096000\n", "", 0));
        assertThat(pods.answer("apiconnect", "m1-cc-0", "other", List.of("df", "/var/db")))
                .contains(new ExecAnswers.ExecResult("other\n", "", 3));
        assertThat(pods.answer("apiconnect", "web", null, List.of("ls"))).isEmpty();
        var hosts = RuleAnswers.hosts(c);
        assertThat(hosts.answer(ExecRequest.of("backups.example.com", "tar -tzf /b/7-1-3.tar.gz", new byte[0])))
                .contains(CommandAnswer.of("", "gzip: stdin: unexpected end of file\n", 2));
        assertThat(hosts.answer(ExecRequest.of("backups.example.com", "tar -tzf /b/7-1-4.tar.gz", new byte[0]))).isEmpty();
        assertThat(RuleAnswers.logs(c).logs("apiconnect", "restore-x", "main")).isEqualTo(Optional.of("restore finished\n"));
        assertThat(RuleAnswers.logs(c).logs("apiconnect", "web", "main")).isEmpty();
    }

    @Test
    void aPodRuleMayTakeADelayAHostRuleMayNotAndItMustBeADuration() throws Exception {
        SandboxConfig c = read("""
                exec:
                  - pod: "db-*"
                    match: restore
                    stdout: "started\\n"
                    delay: 1m30s
                """);
        assertThat(RuleAnswers.pods(c).answer("default", "db-0", null, List.of("restore")))
                .contains(new ExecAnswers.ExecResult("started\n", "", 0, java.time.Duration.ofSeconds(90)));
        assertThatThrownBy(() -> read("""
                exec:
                  - pod: db-0
                    delay: soon
                  - host: backups.example.com
                    delay: 5s
                """)).isInstanceOfSatisfying(InvalidRunbookException.class, e -> assertThat(
                        e.diagnostics().stream().map(d -> d.format().replace(dir.resolve("sandbox.yaml").toString(), "F")))
                .containsExactlyInAnyOrder(
                        "F:3:12: error: delay must be a duration such as 500ms, 30s or 2m, not 'soon'",
                        "F:5:12: error: delay applies to commands in pods (pod:), not on SSH hosts"));
    }

    @Test
    void noFileIsTheDefaults() {
        assertThat(SandboxConfig.read(dir)).isEqualTo(SandboxConfig.none());
        assertThat(SandboxConfig.none().namespace()).isEqualTo("default");
    }

    @Test
    void everyMistakeIsReportedWithItsPosition() {
        assertThatThrownBy(() -> read("""
                namspace: x
                exec:
                  - pod: a
                    host: b
                    exitCode: 300
                logs: 4
                """)).isInstanceOfSatisfying(InvalidRunbookException.class, e -> assertThat(
                        e.diagnostics().stream().map(d -> d.format().replace(dir.resolve("sandbox.yaml").toString(), "F")))
                .containsExactlyInAnyOrder(
                        "F:1:1: error: unknown key 'namspace' in sandbox.yaml (known: exec, logs, namespace, test)",
                        "F:3:5: error: an exec rule names either pod: GLOB or host: HOST, not both",
                        "F:5:15: error: exitCode must be a whole number from 0 to 255",
                        "F:6:7: error: logs is a list of rules, not an integer"));
    }
}
