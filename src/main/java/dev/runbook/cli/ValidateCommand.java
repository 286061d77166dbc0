package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.RunbookLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code runbook validate FILE...}: every problem of every file, exit 0 when all are valid. */
@Command(name = "validate", description = "Check runbook files; exit 0 when valid, 2 when not.")
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Runbook files to check.")
    List<Path> files;

    @Override
    public Integer call() {
        int code = ExitCodes.OK;
        for (Path f : files) {
            try {
                CheckedRunbook c = RunbookLoader.load(f, ActionTypes.standard());
                int n = c.runbook().allSteps().size();
                spec.commandLine().getOut().println(f + ": ok (" + n + (n == 1 ? " step)" : " steps)"));
            } catch (InvalidRunbookException e) {
                for (Diagnostic d : e.diagnostics()) {
                    spec.commandLine().getErr().println(d.format());
                }
                code = ExitCodes.INVALID;
            }
        }
        spec.commandLine().getOut().flush();
        spec.commandLine().getErr().flush();
        return code;
    }
}
