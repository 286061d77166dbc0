package dev.runbook.engine;

import dev.runbook.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real CLI, in this JVM through {@code Main.execute} or as a separate process. */
final class Runs {
    private Runs() {
    }

    /** What a run printed and how it ended. */
    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    static Result cli(String... args) {
        return cli(Terminal.none(), args);
    }

    static Result cli(Terminal terminal, String... args) {
        args = withStateDir(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err), terminal);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Every run records itself in a state directory, by default {@code ./.runbook}: a run of a
     * runbook in a test's directory that names none records itself next to its file instead,
     * never in the directory the tests run in.
     */
    static String[] withStateDir(String[] args) {
        if (args.length < 2 || !args[0].equals("run") || List.of(args).contains("--state-dir")) {
            return args;
        }
        Path parent = Path.of(args[1]).toAbsolutePath().getParent();
        List<String> out = new ArrayList<>(List.of(args));
        out.add("--state-dir");
        out.add(parent.resolve(".runbook").toString());
        return out.toArray(String[]::new);
    }

    /** The command line that starts the CLI in a new JVM with this test's classpath. */
    static List<String> javaCommand(String... args) {
        return javaCommand(List.of(), args);
    }

    /** {@link #javaCommand(String...)} as one bash command line, each word single-quoted. */
    static String shellCommand(String... args) {
        return String.join(" ", javaCommand(args).stream().map(dev.runbook.expr.ShellScript::quote).toList());
    }

    static List<String> javaCommand(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.runbook.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Starts the CLI as its own process; stdin is a pipe that stays open and never gets a byte. */
    static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(javaCommand(args));
        pb.directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        return pb.start();
    }

    static Result finish(Process p, Path dir, long seconds) throws Exception {
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the runbook process did not end within " + seconds + "s");
        }
        p.getOutputStream().close();
        return new Result(p.exitValue(), Files.readString(dir.resolve("stdout.txt")), Files.readString(dir.resolve("stderr.txt")));
    }
}
