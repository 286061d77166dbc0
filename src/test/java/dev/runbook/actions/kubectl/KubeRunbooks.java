package dev.runbook.actions.kubectl;

import dev.runbook.cli.Cli;
import dev.runbook.kube.KubeClients;
import dev.runbook.kube.KubeTarget;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.sandbox.kube.SandboxApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A sandbox API server seeded with the test cluster, its kubeconfig, and runbooks run through
 * the real CLI in this JVM against it.
 */
final class KubeRunbooks implements AutoCloseable {
    final Path dir;
    final SandboxApiServer server;
    final Path kubeconfig;
    private final List<AutoCloseable> clients = new ArrayList<>();

    KubeRunbooks(Path dir, SandboxApiServer.Options options) {
        this.dir = dir;
        Path world = copyFixture(dir.resolve("world"));
        server = SandboxApiServer.start(world, options.withNamespace("apiconnect"));
        kubeconfig = dir.resolve("kubeconfig");
        server.writeKubeconfig(kubeconfig, null);
    }

    /** Another client of the same cluster, as an operator's or a controller's. */
    KubeVerbs client() {
        var connection = KubeClients.open(new KubeTarget(kubeconfig.toString(), null, null));
        clients.add(connection);
        return new KubeVerbs(connection);
    }

    /** Runs {@code steps} (YAML, indented as a list under steps:) with one kubernetes target named cluster. */
    Cli.Result run(String name, String steps, String... more) {
        return runFile(write(name, runbook(name, steps)), more);
    }

    String runbook(String name, String steps) {
        return """
                apiVersion: runbook/v1
                name: %s
                targets:
                  cluster: {kubernetes: {kubeconfig: "%s"}}
                steps:
                %s""".formatted(name, kubeconfig, steps.indent(2));
    }

    Path write(String name, String text) {
        Path p = dir.resolve(name + ".yaml");
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    Cli.Result runFile(Path runbook, String... more) {
        List<String> args = new ArrayList<>(List.of("run", runbook.toString(), "--state-dir", stateDir().toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    Path stateDir() {
        return dir.resolve("state");
    }

    /** Everything the runs wrote to the state directory (journal, report, outputs). */
    String stateText() {
        if (!Files.isDirectory(stateDir())) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(stateDir())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                sb.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    private static Path copyFixture(Path target) {
        Path source = Path.of("src/test/resources/sandbox");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        server.close();
    }
}
