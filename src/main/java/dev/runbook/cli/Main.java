package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.engine.Terminal;
import dev.runbook.journal.JournalException;
import dev.runbook.journal.RunLockedException;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.RunbookLoader;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code runbook COMMAND ...}. One class per subcommand. */
@Command(name = "runbook",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Runs declarative YAML runbooks: validate, plan, rehearse, run and resume operational procedures.",
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
    /** Commands whose first work is loading a runbook file. */
    private static final java.util.Set<String> LOADS_RUNBOOK = java.util.Set.of("validate", "plan", "graph", "run", "resume");

    /**
     * The subcommands, in the order help lists them. Registered by {@link #execute} rather than in
     * the annotation: picocli reads every registered command's annotations when it builds the
     * command line, a tenth of a second of a short command's start, so a command line naming one
     * known subcommand gets only that one.
     */
    private static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, Class<?>> subcommands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("validate", ValidateCommand.class);
        m.put("plan", PlanCommand.class);
        m.put("run", RunCommand.class);
        m.put("sandbox", SandboxCommand.class);
        m.put("resume", ResumeCommand.class);
        m.put("graph", GraphCommand.class);
        m.put("runs", RunsCommand.class);
        m.put("status", StatusCommand.class);
        m.put("test", TestCommand.class);
        m.put("schema", SchemaCommand.class);
        m.put("help", CommandLine.HelpCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    private final Host host;

    Main(Host host) {
        this.host = host;
    }

    /** The operator's terminal, where prompts are asked; none when run from tests or a pipe. */
    Terminal terminal() {
        return host.terminal();
    }

    /** Where the command runs: working directory, environment, terminal, how a run is stopped. */
    Host host() {
        return host;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required");
    }

    public static void main(String[] args) {
        if (args.length > 0 && LOADS_RUNBOOK.contains(args[0])) {
            // Starts before the command line is even parsed: that takes about as long.
            RunbookLoader.warmUp(!args[0].equals("validate") && !args[0].equals("graph"));
        }
        fastProcessStart();
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), Terminal.system()));
    }

    /**
     * On Linux the JDK starts a process through a helper executable by default (two execs per
     * process); vfork starts it directly, which nearly halves the cost of a short step. Must be
     * set before the first process starts; an explicit setting wins.
     */
    static void fastProcessStart() {
        String key = "jdk.lang.Process.launchMechanism";
        // JDK 25 deprecates VFORK (and prints so on stderr); its default, posix_spawn, is as fast.
        if (System.getProperty(key) == null && "Linux".equals(System.getProperty("os.name"))
                && Runtime.version().feature() < 25) {
            System.setProperty(key, "VFORK");
        }
    }

    /** Runs the CLI and returns the exit code; never throws, never prints a stack trace. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return execute(args, out, err, Terminal.none());
    }

    /** As {@link #execute(String[], PrintWriter, PrintWriter)}, with prompts asked on {@code terminal}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Terminal terminal) {
        return execute(args, out, err, Host.process(terminal));
    }

    /**
     * As {@link #execute(String[], PrintWriter, PrintWriter)} in {@code host}: how {@code runbook
     * test} runs a scenario's {@code run} in this process, in a working directory of its own.
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err, Host host) {
        CommandLine cli = new CommandLine(new Main(host));
        String only = args.length > 0 && !args[0].equals("help") && SUBCOMMANDS.containsKey(args[0]) ? args[0] : null;
        for (java.util.Map.Entry<String, Class<?>> sub : SUBCOMMANDS.entrySet()) {
            if (only == null || only.equals(sub.getKey())) {
                cli.addSubcommand(sub.getKey(), sub.getValue());
            }
        }
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
        if (ex instanceof RunLockedException locked) {
            err.println("runbook: " + locked.getMessage());
            err.flush();
            return ExitCodes.LOCKED;
        }
        if (ex instanceof JournalException j) {
            err.println("runbook: " + j.getMessage());
            err.flush();
            return ExitCodes.INVALID;
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
            // The build writes the project's version into this resource (Maven resource filtering).
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("/dev/runbook/version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (java.io.IOException e) {
                // no version known: say so below
            }
            return new String[] {"runbook " + p.getProperty("version", "(version unknown)")};
        }
    }
}
