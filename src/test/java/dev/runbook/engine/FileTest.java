package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file action: write text, YAML or JSON with a mode; read with parse. */
@Timeout(60)
class FileTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBack() throws Exception {
        Files.writeString(dir.resolve("old.yaml"), "old content\n");
        Files.setPosixFilePermissions(dir.resolve("old.yaml"), PosixFilePermissions.fromString("rw-rw-r--"));
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: files
                params:
                  ns: {default: apic}
                steps:
                  - id: values
                    file:
                      write: "%1$s/values.yaml"
                      mode: "0600"
                      content:
                        namespace: "${{ params.ns }}"
                        hosts: ["${{ 'a.' + params.ns }}", b]
                        port: 443
                  - id: json
                    file:
                      write: "%1$s/values.json"
                      format: json
                      content: {namespace: "${{ params.ns }}", ok: true}
                  - id: text
                    file: {write: "%1$s/note.txt", content: "namespace ${{ params.ns }}\\n"}
                  - id: replace
                    file: {write: "%1$s/old.yaml", content: "new content\\n"}
                  - id: read-yaml
                    file: {read: "%1$s/values.yaml", parse: yaml}
                    capture: {hosts: "${{ result.json.hosts }}", port: "${{ result.json.port }}"}
                  - id: read-json
                    file: {read: "%1$s/values.json", parse: json}
                    capture: {ok: "${{ result.json.ok }}"}
                  - id: read-lines
                    file: {read: "%1$s/note.txt", parse: lines}
                    capture: {lines: "${{ result.lines }}"}
                  - id: check
                    assert:
                      that:
                        - steps['read-yaml'].outputs.hosts == ['a.apic', 'b']
                        - steps['read-yaml'].outputs.port == 443
                        - steps['read-json'].outputs.ok
                        - steps['read-lines'].outputs.lines == ['namespace apic']
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(dir.resolve("values.yaml"))).isEqualTo("namespace: apic\nhosts:\n- a.apic\n- b\nport: 443\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("values.yaml")))).isEqualTo("rw-------");
        assertThat(Files.readString(dir.resolve("values.json"))).contains("\"namespace\" : \"apic\"").endsWith("}\n");
        assertThat(Files.readString(dir.resolve("note.txt"))).isEqualTo("namespace apic\n");
        assertThat(Files.readString(dir.resolve("old.yaml"))).isEqualTo("new content\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("old.yaml")))).isEqualTo("rw-rw-r--");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void problemsAreClearFailures() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: files
                steps:
                  - id: no-dir
                    onFailure: continue
                    file: {write: "%1$s/missing/x.txt", content: x}
                  - id: no-file
                    onFailure: continue
                    file: {read: "%1$s/absent.json", parse: json}
                  - id: map-as-text
                    file: {write: "%1$s/m.txt", format: text, content: "${{ {'a': 1} }}"}
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("cannot write '" + dir + "/missing/x.txt': directory '" + dir + "/missing' does not exist")
                .contains("cannot read '" + dir + "/absent.json': no such file")
                .contains("content is a map: give format: yaml or format: json to write it");
    }
}
