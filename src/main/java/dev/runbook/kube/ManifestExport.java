package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code kubectl export}: an object made into a manifest that can be applied again (the fields
 * the server owns removed), and written as YAML without ever leaving a half-written file or a
 * Secret readable by others, even for a moment.
 */
public final class ManifestExport {
    /** What the server sets on an object and refuses or ignores on a new one. */
    public static final List<String> SERVER_FIELDS = List.of("metadata.ownerReferences", "metadata.selfLink", "metadata.uid",
            "metadata.resourceVersion", "metadata.creationTimestamp", "metadata.managedFields", "metadata.generation", "status");

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private ManifestExport() {
    }

    /** A copy of {@code object} without the server's fields and without the {@code strip} dotted paths. */
    public static Map<String, Object> clean(Map<String, Object> object, List<String> strip) {
        Map<String, Object> copy = KubeValues.map(KubeValues.plain(object));
        List<String> paths = new ArrayList<>(SERVER_FIELDS);
        if (strip != null) {
            paths.addAll(strip);
        }
        for (String path : paths) {
            KubeValues.remove(copy, path);
        }
        // An annotation kubectl's client-side apply keeps is the whole old object again: noise here.
        if (KubeValues.at(copy, "metadata.annotations") instanceof Map<?, ?> annotations) {
            annotations.remove("kubectl.kubernetes.io/last-applied-configuration");
            if (annotations.isEmpty()) {
                KubeValues.remove(copy, "metadata.annotations");
            }
        }
        return copy;
    }

    /**
     * Writes a manifest as YAML to {@code path} (through a temporary name in the same directory,
     * renamed at the end); a Secret's file is created with mode 0600. Returns {@code {path, kind, name}}.
     */
    public static Map<String, Object> write(Map<String, Object> manifest, Path path) {
        return write(manifest, path, path.toString());
    }

    /** As {@link #write(Map, Path)}, the file named {@code shown} (as a runbook wrote it) in the result and messages. */
    public static Map<String, Object> write(Map<String, Object> manifest, Path path, String shown) {
        String kind = KubeValues.string(manifest, "kind");
        boolean secret = "Secret".equals(kind);
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        try {
            Files.createDirectories(dir);
            FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(secret ? OWNER_ONLY : READABLE);
            try (Writer w = Files.newBufferedWriter(create(temp, mode), StandardCharsets.UTF_8, StandardOpenOption.WRITE)) {
                w.write(KubeValues.toYaml(manifest));
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the temporary file is hidden and named as such: leaving it is harmless
            }
            throw new KubeException(Reason.CONFIG, "cannot write " + shown + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", shown);
        out.put("kind", kind);
        out.put("name", KubeValues.string(manifest, "metadata.name"));
        return out;
    }

    private static Path create(Path temp, FileAttribute<Set<PosixFilePermission>> mode) throws IOException {
        try {
            return Files.createFile(temp, mode);
        } catch (FileAlreadyExistsException e) {
            Files.delete(temp);
            return Files.createFile(temp, mode);
        }
    }
}
