package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.console.ConsoleReporter;
import dev.runbook.engine.Engine;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOptions;
import dev.runbook.journal.DefinitionHash;
import dev.runbook.journal.JournalContents;
import dev.runbook.journal.JournalException;
import dev.runbook.journal.JournalListener;
import dev.runbook.journal.ResumePlan;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunLock;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import dev.runbook.journal.Times;
import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.lang.model.Runbook;
import dev.runbook.proc.ProcessTree;
import dev.runbook.secrets.Redactor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code runbook resume [RUN-ID]}: continues a run that failed or was interrupted (SPEC
 * section 7), in the same run directory and journal. What is kept and what runs again is
 * {@link ResumePlan}'s; docs/journal.md ("Resume") has the rules.
 */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Continue a run that failed or was interrupted (default: the latest unfinished run).")
public final class ResumeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN-ID",
            description = "The run to continue: its id, or a prefix of one (default: the latest unfinished run).")
    String runId;

    @Mixin
    ParamsOptions params;

    @Mixin
    ExecutionOptions execution;

    @Option(names = "--from", paramLabel = "STEP",
            description = "Resume at STEP: it and every later step run again; earlier steps keep their results.")
    String from;

    @Option(names = "--sandbox", paramLabel = "DIR",
            description = "The run's sandbox; not needed: a sandbox run remembers it (given, it must be the same DIR).")
    Path sandbox;

    @Override
    public Integer call() {
        Host host = Host.of(main);
        Map<String, String> env = host.env();
        RunOptions.Builder builder = execution.options(host);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunStore store = RunStore.at(execution.stateDir(env));
        RunDir dir = runId != null ? store.find(runId) : latestUnfinished(store, err);
        if (!Files.exists(dir.journal())) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + dir.id() + " has no journal: its process stopped"
                    + " before the run began, so there is nothing to resume");
        }
        // The lock first: what the journal says is only settled once no other process writes it.
        try (RunLock lock = RunLock.acquire(dir.dir(), "resume")) {
            if (lock.takeOverNote() != null) {
                err.println(lock.takeOverNote());
            }
            refuseLeftovers(dir.id());
            JournalContents contents = dir.readJournal();
            for (String w : contents.warnings()) {
                err.println("warning: " + w);
            }
            err.flush();
            RunState before = RunState.of(contents, false);
            refuseFinished(before);
            CheckedRunbook checked = load(before, dir, err);
            Runbook rb = checked.runbook();
            if (!rb.name().equals(before.runbook())) {
                throw new ExitException(ExitCodes.INVALID, "runbook: " + rb.file() + " is runbook '" + rb.name()
                        + "', but run " + before.runId() + " is a run of '" + before.runbook() + "'");
            }
            Map<String, Object> values = params.bindResumed(rb, before.params());
            Redactor redactor = new Redactor();
            JournalListener journal = JournalListener.resume(dir, rb, from, redactor);
            ResumePlan plan = ResumePlan.of(before, checked, journal.changes(), from);
            explain(out, before, rb, journal, plan);

            // The run's own copy of the world is what it resumes against; DIR is read only if the copy is gone.
            Path sandboxDir = SandboxRun.forResume(dir, sandbox);
            try (SandboxRun world = sandboxDir == null ? null : SandboxRun.start(sandboxDir, dir, journal, host)) {
                return execute(checked, values, world == null ? builder : world.apply(builder, env), host, journal,
                        plan, redactor, world, dir, out, err);
            }
        }
    }

    private int execute(CheckedRunbook checked, Map<String, Object> values, RunOptions.Builder builder,
                        Host host, JournalListener journal, ResumePlan plan, Redactor redactor,
                        SandboxRun world, RunDir dir, PrintWriter out, PrintWriter err) {
        Runbook rb = checked.runbook();
        RunOptions options = builder.runId(dir.id()).build();
        List<RunListener> listeners = new ArrayList<>();
        if (world != null) {
            listeners.add(world.listener());
        }
        listeners.add(new ConsoleReporter(rb, out, options.color(), options.color() && host.terminal().interactive()).resuming());
        listeners.add(journal);
        Engine engine = new Engine(checked, values, options, listeners, redactor)
                .carryOver(plan.carried())
                .askBeforeRerun(plan.askFirst());
        if (from != null) {
            engine.startAt(from).alsoRun(plan.alsoRun());
        }
        return Execution.run(engine, journal, false, out, err, host);
    }

    /**
     * A runbook process killed with {@code kill -9} leaves its step's processes running. Running
     * the step again beside them would do its work twice at once: the resume waits for them.
     */
    private static void refuseLeftovers(String runId) {
        List<ProcessHandle> left = ProcessTree.leftBy(runId);
        if (left.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder("runbook: run " + runId + " still has processes started by its earlier"
                + " runbook process, which is gone:");
        for (ProcessHandle p : left) {
            sb.append("\n  pid ").append(p.pid()).append(": ").append(p.info().commandLine().orElse("?"));
        }
        sb.append("\n  Wait for them to end, or stop them, then resume again.");
        throw new ExitException(ExitCodes.LOCKED, sb.toString());
    }

    /** The run that started last among those that can be resumed: real runs that did not succeed. */
    private static RunDir latestUnfinished(RunStore store, PrintWriter err) {
        List<RunDir> all = new ArrayList<>(store.list());
        for (int i = all.size() - 1; i >= 0; i--) {
            RunDir d = all.get(i);
            if (!Files.exists(d.journal())) {
                continue;
            }
            try {
                RunState s = d.state();
                if (!s.dryRun() && s.status() != RunState.Status.SUCCEEDED) {
                    return d;
                }
            } catch (JournalException e) {
                err.println("warning: passing over run " + d.id() + ": " + e.getMessage());
            }
        }
        throw new ExitException(ExitCodes.INVALID, "runbook: no unfinished run in " + store.root()
                + " (a run that succeeded and a dry run can't be resumed; see 'runbook runs')");
    }

    private static void refuseFinished(RunState run) {
        if (run.dryRun()) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + run.runId() + " is a dry run, and a dry run can't"
                    + " be resumed: nothing it did needs finishing. Start a real run with 'runbook run FILE'.");
        }
        if (run.status() == RunState.Status.SUCCEEDED) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + run.runId() + " succeeded: there is nothing to"
                    + " resume. Start a new run with 'runbook run FILE', or 'runbook run FILE --from STEP'.");
        }
    }

    /**
     * The runbook as it is now, from the file the run recorded, so that edits are seen; when
     * that file is gone, the run's own copy.
     */
    private static CheckedRunbook load(RunState run, RunDir dir, PrintWriter err) {
        Path file = null;
        try {
            file = run.file() == null ? null : Path.of(run.file());
        } catch (InvalidPathException e) {
            file = null;
        }
        if (file != null && Files.isRegularFile(file)) {
            return RunbookLoader.load(file, ActionTypes.standard());
        }
        if (!Files.isRegularFile(dir.runbookCopy())) {
            throw new ExitException(ExitCodes.INVALID, "runbook: the runbook of run " + run.runId() + " is gone: neither "
                    + run.file() + " nor the run's copy " + dir.runbookCopy() + " exists");
        }
        err.println("note: " + run.file() + " is gone; resuming with the run's copy of the runbook, " + dir.runbookCopy());
        err.flush();
        return RunbookLoader.load(dir.runbookCopy(), ActionTypes.standard());
    }

    /** Says what the resume keeps, what changed, and where it resumes, before anything runs. */
    private static void explain(PrintWriter out, RunState run, Runbook rb, JournalListener journal, ResumePlan plan) {
        out.println("Resuming run " + run.runId() + " of " + run.runbook() + ", begun " + Times.text(run.startedAt())
                + " by " + run.user() + " on " + run.host() + "; it ended " + run.status().word()
                + (run.currentStep() != null ? " at step '" + run.currentStep() + "'" : "") + ".");
        DefinitionHash.Changes changes = journal.changes();
        if (!changes.changed().isEmpty()) {
            out.println("Changed since the run began: " + String.join(", ", changes.changed())
                    + " (step '" + changes.firstChanged() + "' and every step after it run again)");
        }
        if (!changes.removed().isEmpty()) {
            out.println("Removed from the runbook since the run began: " + String.join(", ", changes.removed()));
        }
        if (journal.contextChanged()) {
            out.println("note: params, vars, targets or defaults changed since the run began; steps whose own definition"
                    + " is unchanged keep their results");
        }
        List<String> kept = plan.keptSteps(rb);
        if (!kept.isEmpty()) {
            out.println("Kept from before (not run again): " + String.join(", ", kept));
        }
        if (!plan.rerunReads().isEmpty()) {
            out.println("Reads that run again, so that what follows sees the world as it is now: "
                    + String.join(", ", plan.rerunReads()));
        }
        if (!plan.neededSensitive().isEmpty()) {
            out.println("Run again because their outputs were never written (sensitive) and later steps read them: "
                    + String.join(", ", plan.neededSensitive()));
        }
        if (plan.resumeAt() != null) {
            out.println("Resuming at step '" + plan.resumeAt() + "'.");
        }
        out.println();
        out.flush();
    }
}
