package dev.runbook.cli;

import dev.runbook.engine.Answers;
import dev.runbook.engine.RunOptions;
import dev.runbook.engine.Terminal;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.SourceFiles;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options that executing commands share ({@code run}, and {@code resume} later): answers,
 * state directory, colour, where apicup is.
 */
public class ExecutionOptions {
    @Option(names = "--yes", description = "Answer yes to every confirm prompt (resume: and to running an interrupted step again).")
    boolean yes;

    @Option(names = "--answer", paramLabel = "ID=VALUE", description = "Answer the prompt of step ID (repeatable).")
    List<String> answer = new ArrayList<>();

    @Option(names = "--answers", paramLabel = "FILE", description = "A YAML map of prompt answers: ID: VALUE.")
    Path answersFile;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs are recorded (default: $RUNBOOK_STATE_DIR, else ./.runbook).")
    Path stateDir;

    @Option(names = "--no-color", description = "No colour in the output (also: NO_COLOR set, or output not a terminal).")
    boolean noColor;

    @Option(names = "--apicup", paramLabel = "PATH", description = "The apicup executable (default: $APICUP, else apicup on PATH).")
    String apicup;

    /** Where relative paths of these flags resolve; null: this process's current directory. */
    private Host host;


    private Path resolved(Path p) {
        return host == null ? p : host.resolve(p);
    }

    /**
     * The run options these flags describe, for a run in {@code host}: its terminal, environment
     * and working directory, where relative {@code --state-dir} and {@code --answers} are too.
     * Bad answers are usage errors (exit 2).
     */
    RunOptions.Builder options(Host host) {
        this.host = host;
        Terminal terminal = host.terminal();
        Map<String, String> env = host.env();
        String noColorEnv = env.get("NO_COLOR");
        boolean color = !noColor && (noColorEnv == null || noColorEnv.isEmpty()) && terminal.color();
        return RunOptions.builder()
                .answers(answers())
                .color(color)
                .apicup(apicup)
                .stateDir(stateDir(env))
                .terminal(terminal)
                .env(env)
                .workDir(host.workDir());
    }

    Path stateDir(Map<String, String> env) {
        return StateDirOption.checked(resolved(dev.runbook.journal.RunStore.locate(StateDirOption.checkedOption(stateDir), env)));
    }

    Answers answers() {
        List<Diagnostic> problems = new ArrayList<>();
        Map<String, Answers.Given> byId = new LinkedHashMap<>();
        if (answersFile != null) {
            String name = answersFile.toString();
            try {
                YNode n = YamlLoader.loadIfAny(name, YamlLoader.decode(name, SourceFiles.read(resolved(answersFile))));
                if (n == null) {
                    // an empty answers file answers nothing
                } else if (n instanceof YMap m) {
                    for (YMap.Entry e : m.entries()) {
                        if (e.value() instanceof YScalar s && s.value() != null) {
                            byId.put(e.name(), new Answers.Given(Renderer.format(s.value()), "--answers " + name));
                        } else {
                            problems.add(new Diagnostic(name, e.value().pos(), "the answer to '" + e.name()
                                    + "' must be a single value (text, number or yes/no)"));
                        }
                    }
                } else if (!(n instanceof YScalar s && s.value() == null)) {
                    problems.add(new Diagnostic(name, n.pos(), "an answers file is a YAML map of STEP-ID: ANSWER, not " + n.kind()));
                }
            } catch (SourceFiles.Refused e) {
                problems.add(new Diagnostic(name, null, e.getMessage()));
            } catch (IOException e) {
                problems.add(new Diagnostic(name, null, "cannot read the answers file: " + SourceFiles.reason(e)));
            } catch (InvalidRunbookException e) {
                problems.addAll(e.diagnostics());
            }
        }
        for (int i = 0; i < answer.size(); i++) {
            String a = answer.get(i);
            int eq = a.indexOf('=');
            if (eq <= 0) {
                // Never echoed: it may be the answer to a secret prompt, typed without its id.
                problems.add(new Diagnostic(null, null, "--answer number " + (i + 1) + " is not ID=VALUE: it has "
                        + (eq < 0 ? "no '='" : "no id before '='"), List.of("for example: --answer traffic-stopped=yes")));
                continue;
            }
            byId.put(a.substring(0, eq), new Answers.Given(a.substring(eq + 1), "--answer"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(problems);
        }
        return new Answers(byId, yes);
    }
}
