package dev.runbook.actions.apicup;

import dev.runbook.actions.Outputs;
import dev.runbook.actions.Processes;
import dev.runbook.actions.Values;
import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.ActionHandler;
import dev.runbook.engine.Invocation;
import dev.runbook.engine.Requirement;
import dev.runbook.engine.RunOptions;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.proc.Executables;
import dev.runbook.proc.ProcessSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vendor CLI {@code apicup}, from {@code --apicup PATH}, else {@code $APICUP}, else PATH.
 * Each element of {@code args} is one argument; {@code projectDir} is the working directory.
 * Whether a call reads or mutates is decided from the rendered arguments (SPEC section 4).
 */
public final class ApicupHandler implements ActionHandler {
    static final String HOW_TO_POINT = "install it, or point at it with --apicup PATH or the APICUP environment variable";

    /** Where the executable is looked for, and how that was decided. */
    record Location(String exe, String from) {
    }

    static Location locate(RunOptions o) {
        if (o.apicup() != null && !o.apicup().isBlank()) {
            return new Location(o.apicup(), "--apicup");
        }
        String env = o.env().get("APICUP");
        if (env != null && !env.isBlank()) {
            return new Location(env, "$APICUP");
        }
        return new Location("apicup", "PATH");
    }

    private static String find(RunOptions o, Location l) {
        String path = o.env().get("PATH");
        return Executables.find(l.exe(), path == null ? System.getenv("PATH") : path, o.workDir());
    }

    private static String missing(Location l) {
        return l.from().equals("PATH") ? "apicup is not on PATH: " + HOW_TO_POINT
                : "apicup from " + l.from() + " (" + l.exe() + ") is not an executable file: " + HOW_TO_POINT;
    }

    @Override
    public Invocation prepare(Step step, ActionContext ctx) throws ActionException {
        Action.Apicup a = (Action.Apicup) step.action();
        List<String> args = a.args() == null ? List.of() : Values.argv(ctx.render(a.args(), "args"), "args");
        Map<String, String> env = Values.env(ctx.render(a.env(), "env"));
        String projectDir = ctx.string(a.projectDir(), "projectDir");
        String parse = a.parse() == null ? "none" : a.parse();
        Location loc = locate(ctx.options());
        return new Invocation() {
            @Override
            public Object describe() {
                Map<String, Object> d = new LinkedHashMap<>();
                List<String> argv = new ArrayList<>();
                argv.add(loc.exe());
                argv.addAll(args);
                d.put("argv", argv);
                if (projectDir != null) {
                    d.put("projectDir", projectDir);
                }
                if (!env.isEmpty()) {
                    d.put("env", env);
                }
                return d;
            }

            @Override
            public Object run(ActionContext c) throws ActionException, InterruptedException {
                String exe = find(c.options(), loc);
                if (exe == null) {
                    throw new ActionException(missing(loc));
                }
                if (projectDir != null && !Files.isDirectory(c.localPath(projectDir))) {
                    throw new ActionException("projectDir '" + projectDir + "' is not a directory");
                }
                List<String> argv = new ArrayList<>();
                argv.add(exe);
                argv.addAll(args);
                ProcessSpec spec = new ProcessSpec(argv, env, projectDir == null ? null : Path.of(projectDir), null,
                        c.remaining());
                Map<String, Object> result = Processes.run(c, spec, a.allowExitCodes(), "apicup " + String.join(" ",
                        args.subList(0, Math.min(args.size(), 3))));
                String out = (String) result.get("stdout");
                if (parse.equals("table")) {
                    result.put("rows", TableParser.parse(out));
                } else {
                    Outputs.parse(out, parse, "the output of apicup", result);
                }
                return result;
            }
        };
    }

    @Override
    public List<Requirement> requirements(Step step, ActionContext ctx) {
        Location loc = locate(ctx.options());
        String found = find(ctx.options(), loc);
        return List.of(new Requirement("executable apicup", found != null,
                found != null ? found + (loc.from().equals("PATH") ? "" : " (from " + loc.from() + ")") : missing(loc),
                List.of()));
    }
}
