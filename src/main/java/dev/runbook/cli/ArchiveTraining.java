package dev.runbook.cli;

import dev.runbook.lang.RunbookLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs several CLI commands in one JVM, output discarded. The {@code runbook} launcher runs
 * this once per build with {@code -XX:AOTCacheOutput} (JDK 25+) or {@code -XX:ArchiveClassesAtExit},
 * so that the cache it leaves covers the classes that validate, plan, graph and a small local run
 * load (a JVM caches what one process loaded, and one CLI command loads only its own share). With
 * {@code --sandbox-run} first it also runs a small runbook in a sandbox, for the second cache that
 * sandbox runs and {@code runbook test} use; with {@code --remote-run}, a run against a cluster and an
 * ssh host that live in another process ({@link RemoteTraining}), for the third cache, that of runs
 * which reach real clusters and hosts. Not a user command.
 *
 * <p>Arguments: [--sandbox-run | --remote-run] commands separated by {@code ::}, e.g.
 * {@code validate a.yaml :: plan a.yaml --set x=1 :: graph a.yaml}. An invalid runbook is
 * validated too, so that the classes that report problems are archived as well.
 */
public final class ArchiveTraining {
    private static final String INVALID = """
            apiVersion: runbook/v1
            name: Training
            params:
              n: {type: integer, default: x}
            steps:
              - id: a
                kubectl: {get: pods, selectr: x}
                when: "${{ params.m > 'a' }}"
              - id: b
                shell: {command: [echo, "${{ steps.c.outputs.x }}", "${{ nosuch(1) }}", "${{ 1 + }}"]}
            """;

    /** A small local run: the engine, the journal, the console and the report get archived too. */
    private static final String LOCAL_RUN = """
            apiVersion: runbook/v1
            name: training
            params:
              who: {default: training}
              dir: {description: where the note goes}
            steps:
              - id: hello
                shell: {command: [echo, "${{ params.who }}"], parse: lines}
                capture: {first: "${{ result.lines[0] }}"}
              - id: script
                shell: {script: "echo ${{ steps.hello.outputs.first }}"}
              - id: check
                assert: {that: "steps.hello.outputs.first == params.who"}
              - id: ok
                prompt: {message: "Go on?"}
              - id: note
                file: {write: "${{ params.dir + '/note.txt' }}", content: "${{ params.who }}"}
            """;

    private ArchiveTraining() {
    }

    public static void main(String[] args) throws IOException {
        RunbookLoader.warmUp(true);
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        List<String> command = new ArrayList<>();
        String extra = args.length > 0 && args[0].startsWith("--") ? args[0] : "";
        if (!extra.isEmpty()) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        for (String a : args) {
            if (a.equals("::")) {
                run(command, sink);
                command.clear();
            } else {
                command.add(a);
            }
        }
        run(command, sink);
        Path invalid = Files.createTempFile("runbook-training", ".yaml");
        try {
            Files.writeString(invalid, INVALID, StandardCharsets.UTF_8);
            Main.execute(new String[] {"validate", invalid.toString()}, sink, sink);
            Main.execute(new String[] {"plan", invalid.toString()}, sink, sink);
        } finally {
            Files.deleteIfExists(invalid);
        }
        Path dir = Files.createTempDirectory("runbook-training");
        try {
            Path rb = dir.resolve("training.yaml");
            Files.writeString(rb, LOCAL_RUN, StandardCharsets.UTF_8);
            String state = dir.resolve("state").toString();
            String set = "dir=" + dir;
            Main.execute(new String[] {"run", rb.toString(), "--set", set, "--dry-run", "--state-dir", state}, sink, sink);
            Main.execute(new String[] {"run", rb.toString(), "--set", set, "--yes", "--state-dir", state}, sink, sink);
            Main.execute(new String[] {"runs", "--state-dir", state}, sink, sink);
            Main.execute(new String[] {"status", "--state-dir", state}, sink, sink);
            if (extra.equals("--sandbox-run")) {
                sandboxRun(dir, sink);
            } else if (extra.equals("--remote-run")) {
                RemoteTraining.run(dir, sink);
            }
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The training sandbox, as resources next to this class: copied out, since a sandbox is a folder. */
    private static final List<String> SANDBOX_FILES = List.of(
            "sandbox/sandbox.yaml", "sandbox/cluster/objects.yaml", "sandbox/hosts/files.example/data/a.txt");

    /**
     * A run in a sandbox: the embedded API server and SSH host, the Kubernetes client and JSch are
     * most of what a sandbox run or {@code runbook test} loads, and they are what the cache saves
     * most on (a test scenario's start-up CPU drops by about a third).
     */
    private static void sandboxRun(Path dir, PrintWriter sink) throws IOException {
        Path sandbox = trainingSandbox(dir);
        if (sandbox == null) {
            return; // a jar without the training sandbox: train on the rest
        }
        Path rb = dir.resolve("sandbox-run.yaml");
        try (var in = ArchiveTraining.class.getResourceAsStream("training/sandbox-run.yaml")) {
            if (in == null) {
                return;
            }
            Files.copy(in, rb);
        }
        Path out = Files.createDirectories(dir.resolve("out"));
        Main.execute(new String[] {"run", rb.toString(), "--sandbox", sandbox.toString(), "--set", "dir=" + out,
                "--set", "pw=training", "--yes", "--state-dir", dir.resolve("state").toString()}, sink, sink);
    }

    /** Copies the training sandbox out of the jar into {@code dir/sandbox}; null when the jar has none. */
    static Path trainingSandbox(Path dir) throws IOException {
        for (String name : SANDBOX_FILES) {
            Path to = dir.resolve(name);
            Files.createDirectories(to.getParent());
            try (var in = ArchiveTraining.class.getResourceAsStream("training/" + name)) {
                if (in == null) {
                    return null;
                }
                Files.copy(in, to);
            }
        }
        return dir.resolve("sandbox");
    }

    private static void run(List<String> command, PrintWriter sink) {
        if (!command.isEmpty()) {
            Main.execute(command.toArray(new String[0]), sink, sink);
        }
    }
}
