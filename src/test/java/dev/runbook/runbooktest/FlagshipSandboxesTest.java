package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flagship runbooks in their sandboxes, healthy and broken (tests-fixtures/sandboxes), as
 * {@code runbook test} runs them: every scenario must end as its {@code expect} says. Part of
 * the suite so that CI proves the two procedures the project exists for.
 */
class FlagshipSandboxesTest {
    @TempDir
    Path dir;

    @Test
    void everyFlagshipScenarioEndsAsItsTestExpects() throws Exception {
        // The sandboxes' stub apicup and operator change the simulated cluster with kubectl.
        assumeTrue(Stream.of(System.getenv("PATH").split(":")).anyMatch(p -> Files.isExecutable(Path.of(p, "kubectl"))),
                "kubectl is not on PATH: the flagship sandboxes' stubs need it");
        long scenarios;
        try (Stream<Path> s = Files.walk(Path.of("tests-fixtures/sandboxes"))) {
            scenarios = s.filter(p -> p.getFileName().toString().equals("sandbox.yaml")).count();
        }
        Path junit = dir.resolve("junit.xml");
        Cli.Result r = Cli.run("test", "tests-fixtures/sandboxes", "--junit", junit.toString());
        assertThat(r.out()).as(r.all()).contains(scenarios + " passed, 0 failed");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.readString(junit)).contains("tests=\"" + scenarios + "\"").contains("failures=\"0\"");
    }
}
