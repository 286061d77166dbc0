package dev.runbook.cli;

import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code runbook COMMAND ...}. One class per subcommand. */
@Command(name = "runbook",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs declarative YAML runbooks: validate, plan, rehearse, run and resume operational procedures.",
        subcommands = {
            ValidateCommand.class,
            PlanCommand.class,
            GraphCommand.class,
            SchemaCommand.class,
            CommandLine.HelpCommand.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:a step failed (an assertion included)",
            "2:usage error, invalid runbook or params",
            "3:declined or unanswerable prompt",
            "4:run held by another process",
            "130:interrupted"
        })
public final class Main implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns the exit code; never throws, never prints a stack trace. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("runbook: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try 'runbook " + commandName(ex.getCommandLine()) + "--help' for usage.");
            return ExitCodes.INVALID;
        });
        cli.setExecutionExceptionHandler((ex, c, parsed) -> handle(ex, err));
        int code;
        try {
            code = cli.execute(args);
        } catch (RuntimeException | Error ex) {
            // picocli passes Errors (StackOverflowError, ...) through: still no stack trace.
            code = handle(ex, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    private static String commandName(CommandLine c) {
        return c.getParent() == null ? "" : c.getCommandName() + " ";
    }

    static int handle(Throwable ex, PrintWriter err) {
        if (ex instanceof InvalidRunbookException inv) {
            for (Diagnostic d : inv.diagnostics()) {
                err.println(d.format());
            }
            err.flush();
            return ExitCodes.INVALID;
        }
        if (ex instanceof ExitException e) {
            if (e.getMessage() != null && !e.getMessage().isEmpty()) {
                err.println(e.getMessage());
            }
            err.flush();
            return e.code();
        }
        err.println("runbook: internal error: " + ex);
        if (System.getenv("RUNBOOK_DEBUG") != null) {
            ex.printStackTrace(err);
        } else {
            err.println("  (set RUNBOOK_DEBUG=1 to see where; please report it)");
        }
        err.flush();
        return ExitCodes.STEP_FAILED;
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"runbook " + (v == null ? "dev" : v)};
        }
    }
}
