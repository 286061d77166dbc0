package dev.runbook.runbooktest;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds runbook tests: every folder under the given paths whose {@code sandbox.yaml} has a
 * {@code test:} section (a path may be such a folder itself). A test folder is not searched
 * further: its {@code hosts/} and {@code cluster/} hold a simulated world, not tests.
 */
public final class Discovery {
    private Discovery() {
    }

    /** The test folders, sorted by path, each once; none found is a {@link RunbookTestException}. */
    public static List<Path> find(List<Path> roots) {
        TreeSet<Path> found = new TreeSet<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                throw new RunbookTestException("runbook: " + root + ": no such file or directory");
            }
            if (!Files.isDirectory(root)) {
                throw new RunbookTestException("runbook: " + root + " is not a folder: give a test folder or a folder that holds some");
            }
            walk(root.normalize(), found);
        }
        if (found.isEmpty()) {
            throw new RunbookTestException("runbook: no runbook test found under " + String.join(", ", roots.stream().map(Path::toString).toList())
                    + ": a test is a folder whose " + TestSpecReader.SANDBOX_FILE + " has a test: section");
        }
        return new ArrayList<>(found);
    }

    private static void walk(Path root, TreeSet<Path> found) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (Files.isRegularFile(dir.resolve(TestSpecReader.SANDBOX_FILE)) && TestSpecReader.hasTest(dir)) {
                        found.add(dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    // A run's own state (.runbook) and a sandbox's saved world (.state) hold no tests.
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    return !dir.equals(root) && name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // an unreadable corner of the tree holds no test we could run
                }
            });
        } catch (IOException e) {
            throw new RunbookTestException("runbook: cannot search " + root + ": " + e.getMessage());
        }
    }
}
