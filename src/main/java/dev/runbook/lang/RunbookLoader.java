package dev.runbook.lang;

import dev.runbook.expr.CompiledExpressions;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

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

    public static CheckedRunbook load(Path path, ActionCatalog actions) {
        String name = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                throw invalid(name, "is a directory, not a runbook file");
            }
            bytes = SourceFiles.read(path);
        } catch (NoSuchFileException e) {
            throw invalid(name, "no such file");
        } catch (SourceFiles.Refused e) {
            throw invalid(name, e.getMessage() + (e.getMessage().startsWith("the file is larger")
                    ? ": a runbook is never that big" : ""));
        } catch (IOException e) {
            throw invalid(name, "cannot read the file: " + SourceFiles.reason(e));
        }
        return parse(name, YamlLoader.decode(name, bytes), actions);
    }

    public static CheckedRunbook parse(String name, String source, ActionCatalog actions) {
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
        // The schema check and the model/semantic checks read the same immutable tree and
        // report to separate lists, so they run side by side; the lists are then joined in the
        // order of a one-thread run: schema problems first.
        Problems schemaProblems = new Problems(name);
        FutureTask<Void> schema = new FutureTask<>(new SchemaTask(map, schemaProblems));
        Thread worker = new Thread(schema, "runbook-schema-check");
        worker.setDaemon(true);
        worker.start();
        Runbook rb = null;
        StepGraph graph = null;
        CompiledExpressions expressions = new CompiledExpressions();
        Throwable failed = null;
        try {
            rb = ModelReader.read(name, source, map, problems, actions);
            graph = Checker.check(rb, problems, actions, expressions);
        } catch (RuntimeException | Error e) {
            failed = e;
        }
        awaitSchema(schema);
        if (failed != null) {
            throw sneaky(failed);
        }
        Problems all = new Problems(name);
        all.addAll(schemaProblems);
        all.addAll(problems);
        all.throwIfAny();
        return new CheckedRunbook(rb, graph, actions, expressions);
    }

    private record SchemaTask(YMap map, Problems problems) implements Callable<Void> {
        @Override
        public Void call() {
            SchemaCheck.check(map, problems);
            return null;
        }
    }

    /** Waits for the schema check; its failure wins, as it would have run first. */
    private static void awaitSchema(FutureTask<Void> schema) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    schema.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw sneaky(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RuntimeException sneaky(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** A problem with the file as a whole: no line or column to point at. */
    private static InvalidRunbookException invalid(String file, String message) {
        return new InvalidRunbookException(java.util.List.of(new Diagnostic(file, null, message)));
    }
}
