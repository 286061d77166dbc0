package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile values in both forms of {@code shell}: each must reach the program as exactly one
 * argument, byte for byte, and none may run anything.
 */
@Timeout(60)
class InjectionTest {
    @TempDir
    Path dir;

    private List<String> hostile() {
        String d = dir.toString();
        return List.of(
                "$(touch " + d + "/PWNED-1)",
                "`touch " + d + "/PWNED-2`",
                "'; touch " + d + "/PWNED-3; echo '",
                "\"; touch " + d + "/PWNED-4; echo \"",
                "line one\ntouch " + d + "/PWNED-5",
                "*",
                d + "/*",
                "back\\slash \\n \\\\ end\\",
                "${HOME} $HOME $((6*7)) !! ~ ;|&<> #comment",
                "x'y\"z",
                "  spaces around  ",
                "",
                "-n",
                "unicode é ü 日本",
                "%s %d %%");
    }

    /** Writes a params file: JSON is YAML, and keeps every character exact. */
    private Path params(List<String> values) throws Exception {
        Path p = dir.resolve("params.json");
        Files.writeString(p, JsonMapper.builder().build().writeValueAsString(java.util.Map.of("vals", values)));
        return p;
    }

    private List<String> received(Path file) throws Exception {
        String s = Files.readString(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
        out.remove(out.size() - 1); // after the last NUL
        return out;
    }

    private void assertNothingRan() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("PWNED"));
        }
    }

    @Test
    void argvValuesArePassedExactlyAndNeverInterpreted() throws Exception {
        List<String> values = hostile();
        StringBuilder argv = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            argv.append(", \"${{ params.vals[").append(i).append("] }}\"");
        }
        Path rb = Runs.write(dir, "argv.yaml", """
                apiVersion: runbook/v1
                name: argv
                params:
                  vals: {type: list}
                steps:
                  - id: print
                    shell:
                      command: [bash, -c, 'printf "%%s\\0" "$@" > "$0"', "%s/argv.out"%s]
                  - id: direct
                    shell:
                      command: [printf, "[%%s]"%s]
                    capture: {out: "${{ result.stdout }}"}
                """.formatted(dir, argv, argv));
        Runs.Result r = Runs.cli("run", rb.toString(), "--params", params(values).toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(received(dir.resolve("argv.out"))).containsExactlyElementsOf(values);
        assertThat(r.out()).contains("[" + values.get(7) + "][" + values.get(8) + "]");
        assertNothingRan();
    }

    @Test
    void scriptValuesAreSingleQuotedWords() throws Exception {
        List<String> values = hostile();
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            words.append(" ${{ params.vals[").append(i).append("] }}");
        }
        Path rb = Runs.write(dir, "script.yaml", """
                apiVersion: runbook/v1
                name: script
                params:
                  vals: {type: list}
                steps:
                  - id: print
                    shell:
                      script: |
                        printf '%%s\\0'%s > %s/script.out
                  - id: assigned
                    shell:
                      script: |
                        v=${{ params.vals[0] }}${{ params.vals[2] }}; w=${{ params.vals[4] }}
                        printf '%%s\\0' "$v" "$w" > %s/assigned.out
                """.formatted(words, dir, dir));
        Runs.Result r = Runs.cli("run", rb.toString(), "--params", params(values).toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(received(dir.resolve("script.out"))).containsExactlyElementsOf(values);
        assertThat(received(dir.resolve("assigned.out"))).containsExactly(values.get(0) + values.get(2), values.get(4));
        assertNothingRan();
    }

    @Test
    void hostileStepOutputsAreAsSafeAsParams() throws Exception {
        // A value produced by one step (what a compromised host could print) used by the next.
        Path rb = Runs.write(dir, "outputs.yaml", """
                apiVersion: runbook/v1
                name: outputs
                steps:
                  - id: evil
                    shell: {command: [printf, '%%s', "$(touch %1$s/PWNED-6)'; touch %1$s/PWNED-7; '"]}
                    capture: {v: "${{ result.stdout }}"}
                  - id: use
                    shell:
                      script: |
                        echo ${{ steps.evil.outputs.v }} > %1$s/use.out
                """.formatted(dir));
        Runs.Result r = Runs.cli("run", rb.toString());
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(dir.resolve("use.out"))).isEqualTo("$(touch " + dir + "/PWNED-6)'; touch " + dir + "/PWNED-7; '\n");
        assertNothingRan();
    }
}
