package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Cancellation;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's relative paths resolve against its working directory (RunOptions.workDir, given by the
 * host a command runs in), not against this JVM's current directory: what lets runbook test run
 * several scenarios at once in one process, each in a directory of its own.
 */
@Timeout(120)
class RunWorkDirTest {
    @TempDir
    Path dir;

    @Test
    void relativePathsOfARunAreInItsWorkingDirectoryNotTheProcesses() throws Exception {
        Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
        Files.writeString(sandbox.resolve("sandbox.yaml"), "namespace: shop\n");
        Files.createDirectories(sandbox.resolve("cluster"));
        Files.writeString(sandbox.resolve("cluster/shop.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: release, namespace: shop}
                data: {version: "7"}
                """);
        Path remote = Files.createDirectories(sandbox.resolve("hosts/backups/backups"));
        Files.writeString(remote.resolve("db.txt"), "the backup\n");
        String marker = "wd-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path rb = Files.writeString(dir.resolve("rb.yaml"), """
                apiVersion: runbook/v1
                name: workdir
                targets:
                  backups:
                    ssh: {host: backups, user: rb}
                steps:
                  - id: write
                    file: {write: notes/%1$s.txt, content: "written here\\n"}
                  - id: read
                    file: {read: notes/%1$s.txt}
                    capture: {content: "${{ result.content }}", path: "${{ result.path }}"}
                  - id: where
                    shell: {command: [pwd]}
                    capture: {stdout: "${{ result.stdout }}"}
                  - id: below
                    shell: {command: [pwd], cwd: notes}
                    capture: {stdout: "${{ result.stdout }}"}
                  - id: local-exe
                    shell: {command: [./bin/hello]}
                    capture: {stdout: "${{ result.stdout }}"}
                  - id: export
                    kubectl: {export: configmap, name: release, to: exported/%1$s.yaml}
                    capture: {path: "${{ result.path }}"}
                  - id: apply
                    kubectl: {applyFile: manifests/cm.yaml}
                  - id: download
                    sftp: {on: backups, get: {from: /backups/db.txt, to: %1$s-db.txt}}
                    capture: {to: "${{ result.to }}"}
                  - id: upload
                    sftp: {on: backups, put: {from: notes/%1$s.txt, to: /backups/uploaded.txt}}
                    capture: {from: "${{ result.from }}"}
                """.formatted(marker));
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.createDirectories(work.resolve("notes"));
        Path hello = Files.writeString(Files.createDirectories(work.resolve("bin")).resolve("hello"),
                "#!/bin/sh\necho hello from the work dir\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(work.resolve("manifests"));
        Files.writeString(work.resolve("manifests/cm.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: applied, namespace: shop}
                data: {from: file}
                """);
        Path state = dir.resolve("state");

        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int code = Main.execute(new String[] {"run", rb.toString(), "--sandbox", sandbox.toString(), "--state-dir",
            state.toString(), "--no-color"}, pw, pw, Host.inProcess(work, System.getenv(), new Cancellation()));

        assertThat(code).as(console.toString()).isZero();
        String real = work.toRealPath().toString();
        assertThat(Files.readString(work.resolve("notes/" + marker + ".txt"))).isEqualTo("written here\n");
        assertThat(Files.readString(work.resolve("exported/" + marker + ".yaml"))).contains("name: release").contains("version: '7'");
        assertThat(Files.readString(work.resolve(marker + "-db.txt"))).isEqualTo("the backup\n");
        RunDir run = Cli.onlyRun(state);
        RunState s = run.state();
        assertThat(s.steps().get("read").outputs()).containsEntry("content", "written here\n")
                .containsEntry("path", "notes/" + marker + ".txt");
        assertThat(s.steps().get("where").outputs().get("stdout")).isEqualTo(real + "\n");
        assertThat(s.steps().get("below").outputs().get("stdout")).isEqualTo(real + "/notes\n");
        assertThat(s.steps().get("local-exe").outputs().get("stdout")).isEqualTo("hello from the work dir\n");
        // Outputs name the local side as the step wrote it.
        assertThat(s.steps().get("export").outputs()).containsEntry("path", "exported/" + marker + ".yaml");
        assertThat(s.steps().get("download").outputs()).containsEntry("to", marker + "-db.txt");
        assertThat(s.steps().get("upload").outputs()).containsEntry("from", "notes/" + marker + ".txt");
        assertThat(Files.readString(run.dir().resolve("world/hosts/backups/backups/uploaded.txt"))).isEqualTo("written here\n");
        assertThat(Files.readString(run.dir().resolve("world/.state/cluster.json"))).contains("applied");
        // Nothing of it landed in this JVM's current directory.
        Path cwd = Path.of("").toAbsolutePath();
        for (String p : List.of("notes/" + marker + ".txt", "exported/" + marker + ".yaml", marker + "-db.txt")) {
            assertThat(cwd.resolve(p)).doesNotExist();
        }
    }

    @Test
    void theCommandLinesRelativePathsAreInTheWorkingDirectoryToo() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(work.resolve("rb.yaml"), """
                apiVersion: runbook/v1
                name: relative
                params:
                  who: {type: string}
                steps:
                  - id: greet
                    file: {write: greeting.txt, content: "hello ${{ params.who }}\\n"}
                """);
        Files.writeString(work.resolve("params.yaml"), "who: world\n");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int code = Main.execute(new String[] {"run", "rb.yaml", "--params", "params.yaml", "--state-dir", "state"}, pw, pw,
                Host.inProcess(work, System.getenv(), new Cancellation()));
        assertThat(code).as(console.toString()).isZero();
        assertThat(Files.readString(work.resolve("greeting.txt"))).isEqualTo("hello world\n");
        assertThat(Cli.onlyRun(work.resolve("state")).state().steps().get("greet").state().word()).isEqualTo("succeeded");
    }
}
