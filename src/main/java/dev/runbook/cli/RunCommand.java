package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.console.ConsoleReporter;
import dev.runbook.engine.Engine;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOptions;
import dev.runbook.journal.JournalListener;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunLock;
import dev.runbook.journal.RunStore;
import dev.runbook.actions.ActionTypes;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.RunbookLoader;
import dev.runbook.secrets.Redactor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
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

/** {@code runbook run FILE}: execute a runbook, or rehearse it with {@code --dry-run}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a runbook, or rehearse it against the real systems with --dry-run.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "FILE", description = "The runbook to run.")
    Path file;

    @Mixin
    ParamsOptions params;

    @Mixin
    ExecutionOptions execution;

    @Option(names = "--dry-run", description = "Rehearse: reads run for real, mutating steps are only shown, prompts are not asked.")
    boolean dryRun;

    @Option(names = "--from", paramLabel = "STEP", description = "Start a new run at STEP; earlier steps are skipped.")
    String from;

    @Option(names = "--sandbox", paramLabel = "DIR",
            description = "Run against the simulated world of DIR (a copy of it, kept in the run's directory; DIR is not changed).")
    Path sandbox;

    @Override
    public Integer call() {
        Host host = Host.of(main);
        Path sandboxDir = sandbox == null ? null : SandboxRun.checked(host.resolve(sandbox));
        CheckedRunbook checked = RunbookLoader.load(host.resolve(file), ActionTypes.standard());
        Map<String, Object> values = params.bind(checked.runbook(), host);
        Map<String, String> env = host.env();
        RunOptions.Builder builder = execution.options(host).dryRun(dryRun);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every run, a dry run too, gets its directory: the journal and the report are what an
        // operator attaches to a change ticket. It is the only place a dry run writes to.
        RunDir dir = RunStore.at(execution.stateDir(env)).create(checked.runbook().name(), Instant.now());
        try (RunLock lock = RunLock.acquire(dir.dir(), "run")) {
            Redactor redactor = new Redactor();
            JournalListener journal = JournalListener.newRun(dir, checked.runbook(), from, redactor);
            try (SandboxRun world = sandboxDir == null ? null : SandboxRun.start(sandboxDir, dir, journal, host)) {
                return execute(checked, values, world == null ? builder : world.apply(builder, env), host, dir,
                        journal, redactor, world, out, err);
            }
        } finally {
            Execution.discardIfNotBegun(dir);
        }
    }

    private int execute(CheckedRunbook checked, Map<String, Object> values, RunOptions.Builder builder, Host host,
                        RunDir dir, JournalListener journal, Redactor redactor, SandboxRun world, PrintWriter out,
                        PrintWriter err) {
        RunOptions options = builder.runId(dir.id()).build();
        List<RunListener> listeners = new ArrayList<>();
        if (world != null) {
            listeners.add(world.listener());
        }
        // In-place progress lines use terminal control codes: only where colour is allowed too.
        listeners.add(new ConsoleReporter(checked.runbook(), out, options.color(), options.color() && host.terminal().interactive()));
        listeners.add(journal);
        Engine engine = new Engine(checked, values, options, listeners, redactor);
        if (from != null) {
            engine.startAt(from);
        }
        return Execution.run(engine, journal, dryRun, out, err, host);
    }
}
