package dev.runbook.lang;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Runs the front half of the pipeline: YAML with positions, the JSON Schema, the typed model,
 * and the semantic checks. Either returns a checked runbook or throws
 * {@link InvalidRunbookException} carrying every problem in file order.
 */
public final class RunbookLoader {
    private RunbookLoader() {
    }

    public static CheckedRunbook load(Path path) {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw invalid(name, "is a directory, not a runbook file");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw invalid(name, "no such file");
        } catch (IOException e) {
            throw invalid(name, "cannot read the file: " + e.getMessage());
        }
        return parse(name, YamlLoader.decode(name, bytes));
    }

    public static CheckedRunbook parse(String name, String source) {
        YNode root = YamlLoader.load(name, source);
        Problems problems = new Problems(name);
        if (root instanceof YScalar s && s.value() == null) {
            problems.error(Pos.START, "the document is empty: a runbook is a YAML map with apiVersion, name and steps");
            throw new InvalidRunbookException(problems.sorted());
        }
        if (!(root instanceof YMap map)) {
            problems.error(root.pos(), "a runbook is a YAML map with apiVersion, name and steps, not " + root.kind());
            throw new InvalidRunbookException(problems.sorted());
        }
        SchemaCheck.check(map, problems);
        Runbook rb = ModelReader.read(name, source, map, problems);
        var graph = Checker.check(rb, problems);
        problems.throwIfAny();
        return new CheckedRunbook(rb, graph);
    }

    /** A problem with the file as a whole: no line or column to point at. */
    private static InvalidRunbookException invalid(String file, String message) {
        return new InvalidRunbookException(java.util.List.of(new Diagnostic(file, null, message)));
    }
}
