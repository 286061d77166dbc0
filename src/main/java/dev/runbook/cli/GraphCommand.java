package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.graph.GraphPrinter;
import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code runbook graph FILE}: the step graph as Mermaid or dot. */
@Command(name = "graph", description = "Draw the step graph (needs and steps.ID reads).")
public final class GraphCommand implements Callable<Integer> {
    enum Format { mermaid, dot }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--format", defaultValue = "mermaid", description = "mermaid or dot (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        CheckedRunbook c = RunbookLoader.load(file, ActionTypes.standard());
        String out = format == Format.dot ? GraphPrinter.dot(c) : GraphPrinter.mermaid(c);
        spec.commandLine().getOut().print(out);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
