package dev.runbook.sandbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The sandbox-run fixture copied for one test, and the CLI run in this JVM or as a process of its own. */
final class SandboxFixture {
    static final Path SOURCE = Path.of("src/test/resources/sandbox-run");

    private SandboxFixture() {
    }

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** The stub and the controller drive the real kubectl: without one the test can't say anything. */
    static void assumeKubectl() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "kubectl")));
        assumeTrue(found, "kubectl is not on PATH: the sandbox-run fixture's stub and controller need it");
    }

    /** Copies the fixture to {@code dir/sandbox}, executable bits set (test resources may lose them). */
    static Path copy(Path dir) throws IOException {
        Path to = dir.resolve("sandbox");
        try (Stream<Path> all = Files.walk(SOURCE)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(SOURCE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    String parent = p.getParent().getFileName().toString();
                    if (parent.equals("bin") || parent.equals("controllers")) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        return to;
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    /** A digest of every path, file content and executable bit under {@code dir}: equal digests, unchanged tree. */
    static String digest(Path dir) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted().toList()) {
                md.update(dir.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                if (Files.isRegularFile(p)) {
                    md.update(Files.readAllBytes(p));
                    md.update((byte) (Files.isExecutable(p) ? 1 : 0));
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The CLI as a process of its own (signals, kill -9), its output in {@code NAME.out}/{@code NAME.err}. */
    static final class Child implements AutoCloseable {
        final Process process;
        final Path out;
        final Path err;

        Child(Path dir, String name, String... args) throws IOException {
            out = dir.resolve(name + ".out");
            err = dir.resolve(name + ".err");
            List<String> cmd = new ArrayList<>();
            // A process started in the background may inherit SIGINT ignored; GNU env gives the default back.
            if (Files.isExecutable(Path.of("/usr/bin/env"))) {
                cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT,TERM"));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classpath(), "dev.runbook.cli.Main"));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        }

        private static String classpath() {
            String cp = System.getProperty("surefire.test.class.path");
            return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
        }

        String out() throws IOException {
            return Files.exists(out) ? Files.readString(out) : "";
        }

        String err() throws IOException {
            return Files.exists(err) ? Files.readString(err) : "";
        }

        /** Waits until the output holds {@code text}; false when the process ended or time ran out first. */
        boolean awaitOutput(String text, long seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (out().contains(text)) {
                    return true;
                }
                if (!process.isAlive()) {
                    return out().contains(text);
                }
                Thread.sleep(100);
            }
            return false;
        }

        int await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the runbook process did not end within " + seconds + "s; printed " + out() + err());
            }
            return process.exitValue();
        }

        void signal(String name) throws Exception {
            if (new ProcessBuilder("kill", "-s", name, String.valueOf(process.pid())).start().waitFor() != 0) {
                throw new AssertionError("kill -s " + name + " failed");
            }
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    static boolean waitFor(Path file, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
