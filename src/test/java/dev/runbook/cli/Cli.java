package dev.runbook.cli;

import dev.runbook.engine.Terminal;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/** The real CLI for tests: in this JVM, or as a process of its own; keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    /** The exit code and both output streams of one invocation. */
    public record Result(int code, String out, String err) {
        /** Everything the user saw. */
        public String all() {
            return out + err;
        }
    }

    public static Result run(String... args) {
        return run(Terminal.none(), args);
    }

    static Result run(Terminal terminal, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), terminal);
        return new Result(code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    /** Lines of a file, none when it does not exist. */
    static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    static long count(Path file, String line) throws IOException {
        return lines(file).stream().filter(line::equals).count();
    }

    /** The only run in the state directory. */
    static RunDir onlyRun(Path state) {
        List<RunDir> all = RunStore.at(state).list();
        if (all.size() != 1) {
            throw new AssertionError("expected one run in " + state + ", found " + all);
        }
        return all.get(0);
    }

    static RunState state(RunDir dir) {
        return dir.state();
    }

    /** A terminal that answers with the given lines, in order, and records what it was asked. */
    static final class Scripted implements Terminal {
        final Deque<String> answers = new ConcurrentLinkedDeque<>();
        final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

        Scripted(String... lines) {
            answers.addAll(List.of(lines));
        }

        public boolean interactive() {
            return true;
        }

        public boolean color() {
            return false;
        }

        public String readLine(String prompt) {
            asked.add(prompt);
            return answers.poll();
        }

        public char[] readSecret(String prompt) {
            asked.add(prompt);
            String s = answers.poll();
            return s == null ? null : s.toCharArray();
        }
    }

    // ---- the CLI as a process of its own ---------------------------------------------------

    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    static List<String> javaCommand(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Xshare:auto");
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add("dev.runbook.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A CLI process with its output in {@code NAME.out} and {@code NAME.err} under {@code dir}. */
    static final class Child implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;

        Child(Path dir, String name, List<String> prefix, String... args) throws IOException {
            out = dir.resolve(name + ".out");
            err = dir.resolve(name + ".err");
            List<String> cmd = new ArrayList<>(prefix);
            cmd.addAll(javaCommand(args));
            process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        }

        Child(Path dir, String name, String... args) throws IOException {
            this(dir, name, List.of(), args);
        }

        Result await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the runbook process did not end within " + seconds + "s; printed "
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        /** {@code kill -9}: the process gets no chance to record anything. */
        void kill9() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        void signal(String name) throws Exception {
            if (new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).start().waitFor() != 0) {
                throw new AssertionError("kill -s " + name + " failed");
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Waits until {@code file} exists; false when {@code seconds} passed first. */
    static boolean waitFor(Path file, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Live processes started by the steps of run {@code runId} (they carry its tag in their
     * environment): after {@code kill -9} of a runbook process its step's processes live on.
     */
    static List<Long> stepProcesses(String runId) throws IOException {
        List<Long> out = new ArrayList<>();
        byte[] needle = ("RUNBOOK_PROCESS_TAG=" + runId + "-").getBytes(StandardCharsets.UTF_8);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.ISO_8859_1);
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (!zombie && env.contains(new String(needle, StandardCharsets.ISO_8859_1))) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException | RuntimeException e) {
                    // gone, or not ours
                }
            }
        }
        return out;
    }

    /** Waits until the steps' processes of a killed run have ended; kills them after {@code seconds}. */
    static void reapStepProcesses(String runId, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!stepProcesses(runId).isEmpty()) {
            if (System.nanoTime() > deadline) {
                for (long pid : stepProcesses(runId)) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Thread.sleep(20);
        }
    }
}
