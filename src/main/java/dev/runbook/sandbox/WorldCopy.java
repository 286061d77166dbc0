package dev.runbook.sandbox;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;

/**
 * Copies a sandbox DIR into a run's directory, so that the run changes its own world and DIR stays
 * as it was. Symbolic links are followed: the copy holds their targets' content (executable bit
 * kept), so a link out of DIR does not let the run change what it points at.
 */
final class WorldCopy {
    private WorldCopy() {
    }

    /** Copies {@code from} to {@code to} (which must not exist yet) through a temporary sibling, so a half copy is never reused. */
    static void copy(Path from, Path to) {
        Path partial = to.resolveSibling(to.getFileName() + ".partial");
        try {
            deleteTree(partial);
            Path runDir = Files.createDirectories(to.toAbsolutePath().getParent()).toRealPath();
            Files.walkFileTree(from, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path rel = from.relativize(dir);
                    // A saved server state in DIR belongs to whoever ran a sandbox there by hand: start from the seeds.
                    if (rel.toString().equals(".state")) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    // A state directory inside DIR (`--sandbox .` with the default ./.runbook) holds
                    // this very run: copying it would copy the copy for ever. Runs are not the world.
                    if (!rel.toString().isEmpty() && runDir.startsWith(dir.toRealPath())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(partial.resolve(rel.toString()));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path target = partial.resolve(from.relativize(file).toString());
                    if (attrs.isRegularFile()) {
                        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                        if (Files.isExecutable(file)) {
                            target.toFile().setExecutable(true, false);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    // A dangling link or a loop of links: nothing to copy, and nothing a run could use.
                    return FileVisitResult.CONTINUE;
                }
            });
            Files.move(partial, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new SandboxException("sandbox: cannot copy " + from + " into the run directory: " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
