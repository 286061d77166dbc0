package dev.runbook.sandbox.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/** Test worlds: the fixture cluster copied into a temporary folder, and clients for a server. */
final class Worlds {
    static final String NAMESPACE = "apiconnect";

    private Worlds() {
    }

    /** A copy of src/test/resources/sandbox in {@code dir}, which the server may then change. */
    static Path copyFixture(Path dir) {
        Path source = Path.of("src/test/resources/sandbox");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path target = dir.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** A fabric8 client configured from the kubeconfig the server writes, as runbooks' clients are. */
    static KubernetesClient client(SandboxApiServer server, Path dir) {
        Path kubeconfig = dir.resolve("kubeconfig-fabric8");
        server.writeKubeconfig(kubeconfig, NAMESPACE);
        try {
            Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
            config.setRequestRetryBackoffLimit(0);
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Raw(int code, String body) {
    }

    /** A plain HTTP request, for what the protocol itself must look like. */
    static Raw http(SandboxApiServer server, String method, String path, String contentType, String body) {
        return http(server.url(), method, path, contentType, body);
    }

    static Raw http(String baseUrl, String method, String path, String contentType, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(20));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
