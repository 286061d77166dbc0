package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every broken runbook under {@code tests-fixtures/invalid/} is refused by {@code runbook
 * validate} with exit 2 and exactly the diagnostics of its {@code .expected} file: one
 * {@code FILE:LINE:COL: error: ...} line per problem, in file order, hints indented below.
 */
class InvalidFixturesTest {
    static final Path DIR = Path.of("tests-fixtures", "invalid");

    static Stream<String> fixtures() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void validateReportsExactlyTheExpectedProblems(String name) throws IOException {
        String file = DIR.resolve(name).toString().replace('\\', '/');
        Path expectedFile = DIR.resolve(name.replaceFirst("\\.yaml$", ".expected"));
        assertThat(expectedFile).as("every invalid fixture has its .expected file").exists();
        String expected = Files.readString(expectedFile, StandardCharsets.UTF_8);

        Cli.Result r = Cli.run("validate", file);

        assertThat(r.err()).isEqualTo(expected);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).doesNotContain("Exception", "\tat ", "internal error");
        for (String line : r.err().split("\n")) {
            assertThat(line).matches("(" + java.util.regex.Pattern.quote(file) + ":\\d+:\\d+: error: .+|    \\S.*)");
        }
    }

    @Test
    void thereAreEnoughFixturesAndEachExpectedHasItsRunbook() throws IOException {
        List<String> yaml = fixtures().toList();
        assertThat(yaml).hasSizeGreaterThanOrEqualTo(45);
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".expected")).toList()) {
                String runbook = p.getFileName().toString().replaceFirst("\\.expected$", ".yaml");
                assertThat(yaml).as("runbook for " + p).contains(runbook);
            }
        }
    }

    @Test
    void severalFilesAreAllCheckedAndTheExitCodeIsTwoIfAnyIsInvalid() {
        Cli.Result r = Cli.run("validate", "runbooks/restore-k8s.yaml", "tests-fixtures/invalid/dup-key.yaml",
                "tests-fixtures/invalid/needs-later.yaml");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).contains("runbooks/restore-k8s.yaml: ok");
        assertThat(r.err()).contains("tests-fixtures/invalid/dup-key.yaml:7:5: error: duplicate key 'title'")
                .contains("tests-fixtures/invalid/needs-later.yaml:5:13: error: step 'backup' comes later");
    }

    @Test
    void aMissingFileOrADirectoryIsAPlainError() {
        Cli.Result missing = Cli.run("validate", "tests-fixtures/invalid/no-such-file.yaml");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo("tests-fixtures/invalid/no-such-file.yaml: error: no such file\n");

        Cli.Result dir = Cli.run("validate", "tests-fixtures/invalid");
        assertThat(dir.code()).isEqualTo(2);
        assertThat(dir.err()).isEqualTo("tests-fixtures/invalid: error: is a directory, not a runbook file\n");
    }
}
