package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.lang.SchemaCheck;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code runbook schema}: the published JSON Schema of runbook files. */
@Command(name = "schema", description = "Print the JSON Schema (2020-12) of runbook files.")
public final class SchemaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(SchemaCheck.text());
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
