package dev.runbook.cli;

import dev.runbook.engine.Cancellation;
import dev.runbook.engine.ExitCodes;
import dev.runbook.lang.Diagnostic;
import dev.runbook.runbooktest.Coverage;
import dev.runbook.runbooktest.Discovery;
import dev.runbook.runbooktest.JUnitReport;
import dev.runbook.runbooktest.RunbookTestException;
import dev.runbook.runbooktest.TestResult;
import dev.runbook.runbooktest.TestSpec;
import dev.runbook.runbooktest.TestSpecReader;
import dev.runbook.runbooktest.TestSuite;
import dev.runbook.runbooktest.TextReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code runbook test PATH...}: finds every sandbox folder with a {@code test:} section, runs
 * each one's runbook in its sandbox, and checks the outcome (SPEC section 9). {@code --sandbox DIR}
 * names test folders too (SPEC section 6: test takes --sandbox), and a runbook FILE among the
 * paths is run in every test found instead of the test's own runbook: an author tries an edited
 * copy against the same scenarios before replacing the original.
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run runbook tests: sandbox folders whose sandbox.yaml has a test: section.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every test passed", "1:a test failed", "2:no test found, or a test is invalid"})
public final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "PATH", description = {
            "Test folders, or folders to search for them.",
            "A runbook FILE among them is tested instead of each test's own test.runbook."})
    List<Path> paths = new ArrayList<>();

    @Option(names = "--sandbox", paramLabel = "DIR", description = "A test folder, or a folder to search for them (repeatable), like a PATH.")
    List<Path> sandboxes = new ArrayList<>();

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write a JUnit XML report to FILE.")
    Path junit;

    @Option(names = "--coverage", description = "List each tested runbook's guards and the tests that trip them.")
    boolean coverage;

    @Option(names = "--jobs", paramLabel = "N", description = "Tests run at once (default: the number of processors).")
    Integer jobs;

    @Override
    public Integer call() {
        if (jobs != null && jobs < 1) {
            throw new ExitException(ExitCodes.INVALID, "runbook: --jobs must be 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Path> folders = new ArrayList<>(sandboxes);
        List<Path> runbooks = new ArrayList<>();
        for (Path p : paths) {
            (java.nio.file.Files.isRegularFile(p) ? runbooks : folders).add(p);
        }
        if (runbooks.size() > 1) {
            throw new ExitException(ExitCodes.INVALID, "runbook: give at most one runbook FILE to test against the sandboxes, got "
                    + runbooks.size() + ": " + String.join(", ", runbooks.stream().map(Path::toString).toList()));
        }
        if (folders.isEmpty()) {
            throw new ExitException(ExitCodes.INVALID, "runbook: give a test folder (PATH or --sandbox DIR)"
                    + (runbooks.isEmpty() ? "" : " to test " + runbooks.get(0) + " in"));
        }
        List<TestSpec> specs;
        try {
            specs = read(Discovery.find(folders));
            if (!runbooks.isEmpty()) {
                Path runbook = runbooks.get(0).toAbsolutePath().normalize();
                specs = specs.stream().map(t -> t.withRunbook(runbook)).toList();
            }
        } catch (RunbookTestException e) {
            throw new ExitException(ExitCodes.INVALID, e.getMessage());
        }
        int parallel = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
        PrintWriter err = spec.commandLine().getErr();
        // One handler for the whole suite: the runs share this process, so a signal is theirs
        // together. Ctrl-C or SIGTERM stops every run under way (each as Ctrl-C stops a run:
        // its processes and sandbox with it) and starts no other.
        Cancellation suite = new Cancellation();
        Interrupts interrupts = Interrupts.install(suite::cancel, m -> {
            err.println("runbook test: " + m);
            err.flush();
        }, code -> haltLeavingNothing(suite, code));
        List<TestResult> results;
        try {
            results = TestSuite.run(specs, parallel, TestSuite.DEFAULT_LIMIT, TestCommand::launch, suite, r -> {
                out.print(TextReport.result(r));
                out.flush();
            });
        } catch (RunbookTestException e) {
            throw new ExitException(ExitCodes.STEP_FAILED, e.getMessage());
        } finally {
            interrupts.close();
        }
        if (junit != null) {
            try {
                JUnitReport.write(junit, results);
            } catch (RunbookTestException e) {
                // A --junit path that cannot be written is a usage error, whatever the tests did.
                throw new ExitException(ExitCodes.INVALID, e.getMessage());
            }
        }
        if (coverage) {
            out.print(Coverage.text(Coverage.of(results)));
        }
        out.println(TextReport.summary(results));
        out.flush();
        return interrupts.signal() != null ? Interrupts.EXIT_CODE : TextReport.exitCode(results);
    }

    /**
     * One test's {@code runbook run}: the same command an operator runs, in this process, in the
     * test's own working directory, with this process's environment (the run adds its sandbox's),
     * stopped through its cancellation.
     */
    static int launch(List<String> args, Path workDir, PrintWriter console, Cancellation cancellation) {
        return Main.execute(args.toArray(String[]::new), console, console,
                Host.inProcess(workDir, System.getenv(), cancellation));
    }

    /**
     * The suite did not stop within the grace after a signal: the process ends at once, but
     * first closes the runs' sandboxes and ends every process it started (a halt runs no
     * shutdown hook), so that no controller or step process outlives it.
     */
    private static void haltLeavingNothing(Cancellation suite, int code) {
        try {
            suite.abandon();
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        } finally {
            Runtime.getRuntime().halt(code);
        }
    }

    /** Every test's spec; the problems of all of them at once, before anything runs. */
    private static List<TestSpec> read(List<Path> folders) {
        List<TestSpec> specs = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (Path folder : folders) {
            try {
                specs.add(TestSpecReader.read(folder.toString(), folder));
            } catch (RunbookTestException e) {
                problems.addAll(e.diagnostics());
            }
        }
        if (!problems.isEmpty()) {
            throw new RunbookTestException(problems);
        }
        return specs;
    }
}
