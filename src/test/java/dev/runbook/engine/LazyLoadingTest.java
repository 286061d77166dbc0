package dev.runbook.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A run of a local-only runbook loads neither the Kubernetes client nor the SSH library. */
@Timeout(90)
class LazyLoadingTest {
    @TempDir
    Path dir;

    @Test
    void localStepsLoadNoKubernetesOrSshClasses() throws Exception {
        Path rb = Runs.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: local
                steps:
                  - id: hello
                    shell: {command: [echo, hello]}
                  - id: check
                    assert: {that: "steps.hello.status == 'succeeded'"}
                """);
        Path log = dir.resolve("classes.txt");
        ProcessBuilder pb = new ProcessBuilder(Runs.javaCommand(List.of("-Xlog:class+load=info:file=" + log),
                "run", rb.toString(), "--dry-run"));
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out.txt"))).isZero();
        String classes = Files.readString(log);
        assertThat(classes).contains("dev.runbook.engine.Engine").contains("dev.runbook.actions.shell.ShellHandler");
        assertThat(classes).doesNotContain("io.fabric8.").doesNotContain("com.jcraft.")
                .doesNotContain("dev.runbook.actions.Unavailable");
    }
}
