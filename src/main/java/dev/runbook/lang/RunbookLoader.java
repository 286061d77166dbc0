package dev.runbook.lang;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
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

    /**
     * Starts building the JSON Schema validator and the CEL environment on background threads.
     * Both take longer to get ready than reading a small runbook does; a command that is about
     * to load a runbook calls this first, so that they are ready when it needs them. With
     * {@code evaluate}, CEL's runtime is prepared too (plan and run evaluate expressions).
     */
    public static void warmUp(boolean evaluate) {
        new WarmUp("runbook-warm-up-schema", false, evaluate).start();
        new WarmUp("runbook-warm-up-cel", true, evaluate).start();
    }

    /** A daemon thread that gets one part ready; plain classes, as lambdas cost a bootstrap this early. */
    private static final class WarmUp extends Thread {
        private final boolean cel;
        private final boolean evaluate;

        WarmUp(String name, boolean cel, boolean evaluate) {
            super(name);
            this.cel = cel;
            this.evaluate = evaluate;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                if (cel) {
                    dev.runbook.expr.Cel.warmUp(evaluate);
                } else {
                    SchemaCheck.warmUp();
                }
            } catch (RuntimeException | LinkageError e) {
                // Only a head start: the real use reports any problem.
            }
        }
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

    private static InvalidRunbookException invalid(String file, String message) {
        Problems p = new Problems(file);
        p.error(Pos.START, message);
        return new InvalidRunbookException(p.sorted());
    }
}
