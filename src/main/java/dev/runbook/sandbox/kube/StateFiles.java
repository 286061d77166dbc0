package dev.runbook.sandbox.kube;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The cluster as it is now, under {@code WORLD/.state/}: {@code cluster.json} (every object and
 * the resource version counter), rewritten whole at each write through a temporary file and a
 * rename so a {@code kill -9} leaves the old or the new world, never half of one; and
 * {@code writes.jsonl}, one line per write, forced to disk before the client hears back.
 */
final class StateFiles {
    private final Path dir;
    private final Path cluster;
    private final Path writes;

    record Saved(long resourceVersion, List<ObjectNode> objects) {
    }

    StateFiles(Path worldDir) {
        this.dir = worldDir.resolve(".state");
        this.cluster = dir.resolve("cluster.json");
        this.writes = dir.resolve("writes.jsonl");
    }

    Path writesFile() {
        return writes;
    }

    boolean exists() {
        return Files.isRegularFile(cluster);
    }

    Saved load() {
        try {
            JsonNode root = Json.MAPPER.readTree(Files.readString(cluster));
            List<ObjectNode> objects = new ArrayList<>();
            root.path("objects").forEach(o -> objects.add((ObjectNode) o));
            return new Saved(root.path("resourceVersion").asLong(0), objects);
        } catch (IOException | RuntimeException e) {
            throw new SandboxKubeException("the sandbox's saved cluster " + cluster + " cannot be read ("
                    + e.getMessage() + "); delete it to start again from cluster/*.yaml", e);
        }
    }

    /** Saves every object (already JSON text) and the resource version counter. */
    synchronized void save(long resourceVersion, List<String> objects) {
        StringBuilder json = new StringBuilder(64 + objects.stream().mapToInt(String::length).sum());
        json.append("{\"resourceVersion\":").append(resourceVersion).append(",\"objects\":[");
        for (int i = 0; i < objects.size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append(objects.get(i));
        }
        json.append("\n]}\n");
        try {
            Files.createDirectories(dir);
            writeAtomically(cluster, json.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SandboxKubeException("cannot save the sandbox's cluster to " + cluster + ": " + e.getMessage(), e);
        }
    }

    synchronized void appendWrite(KubeWrite write) {
        ObjectNode line = Json.object().put("verb", write.verb()).put("resource", write.resource())
                .put("subresource", write.subresource()).put("namespace", write.namespace())
                .put("name", write.name()).put("at", write.at().toString());
        byte[] bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(writes, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new SandboxKubeException("cannot record a write in " + writes + ": " + e.getMessage(), e);
        }
    }

    /** The writes recorded so far, oldest first. */
    List<KubeWrite> readWrites() {
        if (!Files.isRegularFile(writes)) {
            return List.of();
        }
        try {
            List<KubeWrite> out = new ArrayList<>();
            for (String line : Files.readAllLines(writes)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode w = Json.MAPPER.readTree(line);
                out.add(new KubeWrite(w.path("verb").asString(), w.path("resource").asString(),
                        textOrNull(w.path("subresource")), textOrNull(w.path("namespace")),
                        w.path("name").asString(), java.time.Instant.parse(w.path("at").asString())));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            throw new SandboxKubeException("the sandbox's write record " + writes + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    private static String textOrNull(JsonNode node) {
        return node.isString() ? node.asString() : null;
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the platform cannot sync a directory; the file itself is on disk
        }
    }
}
