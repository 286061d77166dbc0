package dev.runbook.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.sandbox.SandboxFixture.Child;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code runbook sandbox DIR}: a world on its own, reachable with kubectl, stopped by a signal. */
@Timeout(90)
class SandboxCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void printsAWorkingKubeconfigAndStopsOnASignal(String signal) throws Exception {
        SandboxFixture.assumeKubectl();
        Path sandbox = SandboxFixture.copy(dir);
        try (Child child = new Child(dir, "sandbox", "sandbox", sandbox.toString())) {
            assertThat(child.awaitOutput("Press Ctrl-C to stop.", 60)).as("%s%s", child.out(), child.err()).isTrue();
            Matcher m = Pattern.compile("export KUBECONFIG=(\\S+)").matcher(child.out());
            assertThat(m.find()).as(child.out()).isTrue();
            Path kubeconfig = Path.of(m.group(1));

            ProcessBuilder pb = new ProcessBuilder("kubectl", "get", "configmap", "release", "-o", "name")
                    .redirectErrorStream(true);
            pb.environment().put("KUBECONFIG", kubeconfig.toString());
            pb.environment().put("KUBECACHEDIR", dir.resolve("kube-cache").toString());
            Process kubectl = pb.start();
            assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String said = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(said.strip()).as(said).isEqualTo("configmap/release");

            child.signal(signal);
            assertThat(child.await(20)).isEqualTo(130);
            assertThat(child.out()).contains("Stopping the sandbox.");
            assertThat(Files.exists(kubeconfig)).as("the temporary world is removed at the end").isFalse();
            assertThat(child.process.descendants().filter(ProcessHandle::isAlive).count())
                    .as("the controllers stopped with it").isZero();
        }
    }

    @Test
    void notASandboxIsAnErrorOfUse() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        SandboxFixture.Result r = SandboxFixture.cli("sandbox", empty.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not a sandbox");
    }
}
