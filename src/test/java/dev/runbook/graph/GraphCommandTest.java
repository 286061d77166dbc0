package dev.runbook.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runbook graph}: an edge for every {@code needs} and every {@code steps.ID} read. */
class GraphCommandTest {
    @TempDir
    Path dir;

    Path file;

    @BeforeEach
    void write() throws IOException {
        file = dir.resolve("graph.yaml");
        Files.writeString(file, """
                apiVersion: runbook/v1
                name: graph
                steps:
                  - id: backup-files
                    title: Find the "backup" files
                    sftp: {on: backups, list: /backups}
                    capture:
                      files: result.files
                      count: size(result.files)
                  - id: pods
                    kubectl: {get: pods}
                    capture:
                      names: result.items
                  - id: checks
                    group:
                      - id: match
                        assert: {that: "size(steps['backup-files'].outputs.files) == size(steps.pods.outputs.names)"}
                      - id: count-ok
                        needs: [match]
                        assert: {that: "steps['backup-files'].outputs.count > 0 && steps.pods.status == 'succeeded'"}
                  - id: restore
                    needs: [checks, pods]
                    apicup: {args: [subsys, exec, mgmt, restore, "1"]}
                targets:
                  backups: {ssh: {host: backups.example.com}}
                """);
    }

    @Test
    void mermaidDrawsEveryStepTheOrderAndEveryDependency() {
        Cli.Result r = Cli.run("graph", file.toString());
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("""
                flowchart TD
                  s_backup_files["backup-files: Find the 'backup' files [read]"]
                  s_pods["pods [read]"]
                  s_checks["checks [group]"]
                  s_match["match [read]"]
                  s_count_ok["count-ok [read]"]
                  s_restore["restore [MUTATES]"]
                  s_backup_files -.-> s_pods
                  s_pods -.-> s_checks
                  s_checks -.-> s_restore
                  s_backup_files -->|files| s_match
                  s_pods -->|names| s_match
                  s_match -->|needs| s_count_ok
                  s_backup_files -->|count| s_count_ok
                  s_pods -->|reads| s_count_ok
                  s_checks -->|needs| s_restore
                  s_pods -->|needs| s_restore
                """);
    }

    @Test
    void dotHasTheSameEdges() {
        Cli.Result r = Cli.run("graph", file.toString(), "--format", "dot");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("digraph \"graph\" {\n")
                .contains("  \"backup-files\" [label=\"backup-files\\nFind the 'backup' files\\n[read]\"];\n")
                .contains("  \"backup-files\" -> \"match\" [label=\"files\"];\n")
                .contains("  \"pods\" -> \"match\" [label=\"names\"];\n")
                .contains("  \"match\" -> \"count-ok\" [label=\"needs\"];\n")
                .contains("  \"backup-files\" -> \"count-ok\" [label=\"count\"];\n")
                .contains("  \"pods\" -> \"count-ok\" [label=\"reads\"];\n")
                .contains("  \"checks\" -> \"restore\" [label=\"needs\"];\n")
                .contains("  \"pods\" -> \"restore\" [label=\"needs\"];\n")
                .endsWith("}\n");
        assertThat(r.out().lines().filter(l -> l.contains("->")).count()).isEqualTo(7);
    }

    @Test
    void theFlagshipGraphsDraw() {
        for (String f : new String[] {"runbooks/restore-k8s.yaml", "runbooks/dr-prep-vmware-sftp.yaml"}) {
            for (String format : new String[] {"mermaid", "dot"}) {
                Cli.Result r = Cli.run("graph", f, "--format", format);
                assertThat(r.code()).as(f + " " + format).isZero();
                assertThat(r.out()).contains(format.equals("dot") ? " -> " : " -->|");
            }
        }
    }

    @Test
    void aWrongFormatOrAnInvalidRunbookIsExitTwo() throws IOException {
        Cli.Result format = Cli.run("graph", file.toString(), "--format", "svg");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.err()).contains("expected one of [mermaid, dot]").doesNotContain("Exception");
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "apiVersion: runbook/v1\nname: bad\nsteps:\n  - id: a\n    needs: b\n    shell: {script: date}\n");
        Cli.Result invalid = Cli.run("graph", bad.toString());
        assertThat(invalid.code()).isEqualTo(2);
        assertThat(invalid.err()).isEqualTo(bad + ":5:12: error: unknown step 'b' in needs\n");
    }
}
