package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The flagship runbooks and every valid fixture pass {@code validate}; {@code schema} prints the published file. */
class ValidRunbooksTest {

    static Stream<String> validFiles() throws IOException {
        List<String> out = new ArrayList<>();
        for (Path dir : List.of(Path.of("runbooks"), Path.of("tests-fixtures", "valid"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(p -> out.add(p.toString().replace('\\', '/')));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validFiles")
    void validates(String file) {
        Cli.Result r = Cli.run("validate", file);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches(java.util.regex.Pattern.quote(file) + ": ok \\(\\d+ steps?\\)\n");
    }

    @Test
    void bothFlagshipsAndAtLeastTenValidFixturesAreChecked() throws IOException {
        List<String> files = validFiles().toList();
        assertThat(files).contains("runbooks/restore-k8s.yaml", "runbooks/dr-prep-vmware-sftp.yaml");
        assertThat(files.stream().filter(f -> f.startsWith("tests-fixtures/valid/")).count()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void allFilesInOneCall() throws IOException {
        List<String> args = new ArrayList<>(List.of("validate"));
        args.addAll(validFiles().toList());
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        assertThat(r.code()).isZero();
        assertThat(r.out().lines()).hasSize(args.size() - 1);
    }

    @Test
    void schemaPrintsThePublishedFileAsValidJson() throws IOException {
        Cli.Result r = Cli.run("schema");
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        String published = Files.readString(Path.of("schemas", "runbook.schema.json"));
        assertThat(r.out()).isEqualTo(published);
        JsonNode json = JsonMapper.builder().build().readTree(r.out());
        assertThat(json.get("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(json.get("required").toString()).contains("apiVersion", "name", "steps");
    }

    @Test
    void theFlagshipsPointEditorsAtTheSchema() throws IOException {
        for (String f : List.of("runbooks/restore-k8s.yaml", "runbooks/dr-prep-vmware-sftp.yaml")) {
            assertThat(Files.readAllLines(Path.of(f)).get(0)).isEqualTo("# yaml-language-server: $schema=../schemas/runbook.schema.json");
        }
    }
}
