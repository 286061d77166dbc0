package dev.runbook.sandbox.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Fills a new cluster from {@code cluster/*.yaml}: every document of every file (files in name
 * order), CustomResourceDefinitions first so the custom kinds exist when their objects come.
 */
final class WorldSeeder {
    private record Seed(String source, ObjectNode object) {
    }

    private final ResourceRegistry registry;
    private final SandboxStore store;
    private final String defaultNamespace;

    WorldSeeder(ResourceRegistry registry, SandboxStore store, String defaultNamespace) {
        this.registry = registry;
        this.store = store;
        this.defaultNamespace = defaultNamespace;
    }

    void seed(Path worldDir) {
        List<Seed> seeds = read(worldDir.resolve("cluster"));
        List<Seed> crds = seeds.stream().filter(s -> isCrd(s.object())).toList();
        List<Seed> others = seeds.stream().filter(s -> !isCrd(s.object())).toList();
        crds.forEach(this::create);
        others.forEach(this::create);
    }

    private static boolean isCrd(JsonNode object) {
        return object.path("kind").asString("").equals("CustomResourceDefinition");
    }

    private void create(Seed seed) {
        ObjectNode object = seed.object();
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        ResourceType type = registry.byKind(apiVersion, kind).orElseThrow(() -> new SandboxKubeException(
                seed.source() + ": the sandbox does not serve " + kind + " (" + apiVersion + ")"
                        + (apiVersion.contains("/") ? "; add its CustomResourceDefinition under cluster/" : "")));
        ObjectNode metadata = object.withObject("metadata");
        String namespace = null;
        if (type.namespaced()) {
            namespace = metadata.path("namespace").asString("");
            if (namespace.isEmpty()) {
                namespace = defaultNamespace;
                metadata.put("namespace", namespace);
            }
        } else {
            metadata.remove("namespace");
        }
        for (String assigned : List.of("uid", "resourceVersion", "creationTimestamp")) {
            metadata.remove(assigned); // the server assigns these
        }
        ApiResponse response = store.seed(type.collectionPath(namespace), Json.write(object));
        if (!response.ok()) {
            String message = response.body().isBlank() ? "code " + response.code()
                    : Json.parse(response.body()).path("message").asString("code " + response.code());
            throw new SandboxKubeException(seed.source() + ": " + kind + " \"" + Json.name(object)
                    + "\" cannot be created: " + message);
        }
    }

    private static List<Seed> read(Path clusterDir) {
        if (!Files.isDirectory(clusterDir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(clusterDir)) {
            files = listing.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new SandboxKubeException("cannot list " + clusterDir + ": " + e.getMessage(), e);
        }
        List<Seed> seeds = new ArrayList<>();
        for (Path file : files) {
            String name = "cluster/" + file.getFileName();
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new SandboxKubeException("cannot read " + name + ": " + e.getMessage(), e);
            }
            int index = 0;
            try {
                for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
                    index++;
                    if (document == null) {
                        continue;
                    }
                    JsonNode node = Json.MAPPER.valueToTree(document);
                    String source = name + " (document " + index + ")";
                    if (!(node instanceof ObjectNode object) || object.path("kind").asString("").isEmpty()
                            || object.path("apiVersion").asString("").isEmpty()
                            || Json.name(object).isEmpty()) {
                        throw new SandboxKubeException(source
                                + ": a Kubernetes object needs apiVersion, kind and metadata.name");
                    }
                    seeds.add(new Seed(source, object));
                }
            } catch (YamlEngineException e) {
                throw new SandboxKubeException(name + " is not valid YAML: "
                        + e.getMessage().lines().findFirst().orElse(""), e);
            }
        }
        return seeds;
    }
}
