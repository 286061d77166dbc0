package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunStore;
import dev.runbook.journal.RunSummary;
import dev.runbook.journal.StatusPrinter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code runbook runs}: every run in the state directory, newest first, from the journals
 * alone. A damaged journal is listed as {@code damaged}, its problem goes to stderr, and the
 * exit code is 2; the other runs are still listed.
 */
@Command(name = "runs", description = "List runs, newest first: id, runbook, started, state, current step.")
public final class RunsCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Mixin
    StateDirOption state;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Override
    public Integer call() {
        RunStore store = state.store();
        List<RunSummary> runs = new ArrayList<>();
        for (RunDir d : store.list()) {
            runs.add(RunSummary.of(d));
        }
        // Newest first. Ids order runs to the second; the journal's start time breaks ties.
        runs.sort(Comparator.comparing((RunSummary r) -> r.id().substring(0, 15))
                .thenComparing(r -> r.startedAt() == null ? Instant.MIN : r.startedAt())
                .thenComparing(RunSummary::id).reversed());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (format == Format.json) {
            out.print(StatusPrinter.runsJson(runs));
        } else if (runs.isEmpty()) {
            out.println("No runs in " + store.root() + ".");
        } else {
            out.print(StatusPrinter.runsText(runs));
        }
        out.flush();
        int code = ExitCodes.OK;
        for (RunSummary r : runs) {
            if (r.problem() != null) {
                err.println("runbook: run " + r.id() + ": " + r.problem());
                code = ExitCodes.INVALID;
            }
        }
        err.flush();
        return code;
    }
}
