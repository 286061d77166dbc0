package dev.runbook.sandbox.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The kubectl binary on PATH, run against a sandbox's kubeconfig with its own cache and home. */
final class RealKubectl {
    private final String binary;
    private final Path dir;
    private final Path kubeconfig;

    record Result(int exit, String out, String err) {
    }

    RealKubectl(String binary, Path dir, Path kubeconfig) {
        this.binary = binary;
        this.dir = dir;
        this.kubeconfig = kubeconfig;
    }

    /** kubectl run against {@code server}, whose kubeconfig it writes to {@code dir/kubeconfig}. */
    static RealKubectl against(String binary, SandboxApiServer server, Path dir) {
        Path kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig, null);
        return new RealKubectl(binary, dir, kubeconfig);
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    /** The kubectl on PATH; without one, the calling test is skipped, saying so. */
    static String findOrSkip() {
        String binary = find();
        assumeTrue(binary != null, "kubectl is not on PATH: the tests with the real kubectl are skipped");
        return binary;
    }

    /** The kubectl on PATH, or null. */
    static String find() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).map(Path::toString).findFirst()
                .orElse(null);
    }

    /** The command, its environment set; for a caller that reads its output as it comes (a watch). */
    ProcessBuilder command(String... args) {
        List<String> argv = new ArrayList<>(List.of(binary, "--cache-dir", dir.resolve("kube-cache").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("HOME", dir.toString());
        return builder;
    }

    Result run(String... args) {
        try {
            Process process = command(args).redirectOutput(dir.resolve("out.txt").toFile())
                    .redirectError(dir.resolve("err.txt").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl " + String.join(" ", args) + " did not end within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt")),
                    Files.readString(dir.resolve("err.txt")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result ok(String... args) {
        Result result = run(args);
        assertThat(result.exit()).as("kubectl %s failed: %s", String.join(" ", args), result.err()).isZero();
        return result;
    }
}
