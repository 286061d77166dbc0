package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** apicup through a stand-in executable that logs its calls and prints what apicup prints. */
@Timeout(90)
class ApicupTest {
    @TempDir
    Path dir;
    Path apicup;
    Path log;
    Path project;

    @BeforeEach
    void fakeApicup() throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        project = Files.createDirectories(dir.resolve("myProject"));
        log = dir.resolve("calls.log");
        apicup = Runs.write(dir.resolve("bin"), "apicup", """
                #!/bin/bash
                echo "$PWD|$*" >> %s
                case "$*" in
                  "version") echo "apicup v2018.4.1.9" ;;
                  "subsys exec mgmt list-backups")
                    echo "Cluster               Namespace     ID                    Timestamp                                 Status             "
                    echo "rf0c7310d07-apiconnect-cc   e2edemo       1537987501522014136   2018-09-26 18:45:01.522014136 +0000 UTC   Complete"
                    echo "rf0c7310d07-apiconnect-cc   e2edemo       1537920006787257385   2018-09-26 00:00:06.787257385 +0000 UTC   Failed"
                    ;;
                  "subsys get mgmt --output json") echo '{"name": "mgmt", "settings": {"namespace": "apic"}}' ;;
                  "subsys exec mgmt restore 1537987501522014136") echo "restore started" ;;
                  *) echo "Error: unknown command \\"$*\\"" >&2; exit 2 ;;
                esac
                """.formatted(log));
        Files.setPosixFilePermissions(apicup, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path runbook() throws Exception {
        return Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: apicup
                params:
                  backupId: {default: "1537987501522014136"}
                steps:
                  - id: list-backups
                    apicup:
                      args: [subsys, exec, mgmt, list-backups]
                      projectDir: %s
                      parse: table
                    capture:
                      rows: "${{ result.rows }}"
                      complete: "${{ result.rows.filter(r, r.Status == 'Complete').map(r, r.ID) }}"
                  - id: listed
                    assert:
                      that:
                        - params.backupId in steps['list-backups'].outputs.complete
                        - steps['list-backups'].outputs.rows[0].Timestamp == '2018-09-26 18:45:01.522014136 +0000 UTC'
                  - id: settings
                    apicup: {args: [subsys, get, mgmt, --output, json], parse: json}
                    capture: {ns: "${{ result.json.settings.namespace }}"}
                  - id: restore
                    apicup:
                      args: [subsys, exec, mgmt, restore, "${{ params.backupId }}"]
                      projectDir: %s
                """.formatted(project, project));
    }

    @Test
    void fromTheApicupOptionParsedAsATableAndRunInTheProjectDirectory() throws Exception {
        Runs.Result r = Runs.cli("run", runbook().toString(), "--apicup", apicup.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                project + "|subsys exec mgmt list-backups",
                Path.of("").toAbsolutePath() + "|subsys get mgmt --output json",
                project + "|subsys exec mgmt restore 1537987501522014136");
        assertThat(r.out()).contains("ns = apic");
    }

    @Test
    void aDryRunRunsTheReportingSubcommandsOnly() throws Exception {
        Runs.Result r = Runs.cli("run", runbook().toString(), "--apicup", apicup.toString(), "--dry-run");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readAllLines(log)).containsExactly(
                project + "|subsys exec mgmt list-backups",
                Path.of("").toAbsolutePath() + "|subsys get mgmt --output json");
        assertThat(r.out()).containsPattern("WOULD-RUN +restore")
                .contains(apicup + " subsys exec mgmt restore 1537987501522014136")
                .contains("projectDir: " + project)
                .contains("ok       executable apicup: " + apicup + " (from --apicup)");
    }

    @Test
    void fromTheApicupVariableAndFromPath() throws Exception {
        Path rb = runbook();
        Runs.Result env = Runs.finish(Runs.start(dir, Map.of("APICUP", apicup.toString()), "run", rb.toString()), dir, 60);
        assertThat(env.code()).as(env.all()).isZero();
        Runs.Result path = Runs.finish(Runs.start(dir, Map.of("PATH", dir.resolve("bin") + ":" + System.getenv("PATH")),
                "run", rb.toString()), dir, 60);
        assertThat(path.code()).as(path.all()).isZero();
        assertThat(Files.readAllLines(log)).hasSize(6);
    }

    @Test
    void aMissingApicupSaysHowToPointAtIt() throws Exception {
        Path rb = runbook();
        Runs.Result option = Runs.cli("run", rb.toString(), "--apicup", dir.resolve("nope").toString());
        assertThat(option.code()).isEqualTo(1);
        assertThat(option.out()).contains("apicup from --apicup (" + dir.resolve("nope") + ") is not an executable file: "
                + "install it, or point at it with --apicup PATH or the APICUP environment variable");
        Runs.Result path = Runs.finish(Runs.start(dir, Map.of("PATH", "/usr/bin:/bin"), "run", rb.toString()), dir, 60);
        assertThat(path.code()).isEqualTo(1);
        assertThat(path.out()).contains("apicup is not on PATH: install it, or point at it with --apicup PATH "
                + "or the APICUP environment variable");
    }

    @Test
    void aFailingSubcommandShowsWhatApicupSaid() throws Exception {
        Path rb = Runs.write(dir, "bad.yaml", """
                apiVersion: runbook/v1
                name: bad
                steps:
                  - id: typo
                    apicup: {args: [subsys, lst]}
                """);
        Runs.Result r = Runs.cli("run", rb.toString(), "--apicup", apicup.toString(), "--dry-run");
        // an unknown subcommand is mutating, so a dry run does not run it
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("WOULD-RUN +typo");
        Runs.Result real = Runs.cli("run", rb.toString(), "--apicup", apicup.toString());
        assertThat(real.code()).isEqualTo(1);
        assertThat(real.out()).contains("apicup subsys lst exited with code 2:").contains("Error: unknown command \"subsys lst\"");
    }
}
