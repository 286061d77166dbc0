package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.journal.JournalContents;
import dev.runbook.journal.Report;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunLock;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import dev.runbook.journal.StatusPrinter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code runbook status [RUN-ID]}: one run's steps, states, times, outputs and answers, from
 * its journal alone. Default: the run that started last. A run id may be shortened to any
 * prefix that names one run.
 */
@Command(name = "status", description = "Show a run's steps, states, times, outputs and answers (default: the latest run).")
public final class StatusCommand implements Callable<Integer> {
    enum Format { text, json, markdown }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID", description = "A run id, or a prefix of one.")
    String runId;

    @Mixin
    StateDirOption state;

    @Option(names = "--format", defaultValue = "text",
            description = "text, json or markdown (the run's report) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        RunStore store = state.store();
        RunDir dir = runId == null
                ? store.latest().orElseThrow(() -> new ExitException(ExitCodes.INVALID, "runbook: no runs in " + store.root()))
                : store.find(runId);
        if (!Files.exists(dir.journal())) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + dir.id() + " has no journal: its process stopped"
                    + " before the run began (or it is starting right now)");
        }
        Optional<RunLock.Holder> holder = RunLock.holder(dir.dir());
        JournalContents contents = dir.readJournal();
        RunState run = RunState.of(contents, holder.isPresent());
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> out.print(StatusPrinter.statusJson(run, holder));
            case markdown -> out.print(Report.markdown(run));
            default -> out.print(StatusPrinter.statusText(run, holder));
        }
        out.flush();
        if (format != Format.json) {
            for (String w : run.warnings()) {
                spec.commandLine().getErr().println("warning: " + w);
            }
            spec.commandLine().getErr().flush();
        }
        return ExitCodes.OK;
    }
}
