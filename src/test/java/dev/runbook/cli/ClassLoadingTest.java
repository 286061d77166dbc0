package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate and plan start fast partly because they never load the Kubernetes client (fabric8)
 * or the SSH library (JSch): together thousands of classes. The CLI runs here in a child JVM,
 * as a user starts it, with the JVM's class-load log on, over a runbook that has a kubernetes
 * and an ssh target and kubectl and sftp steps.
 */
class ClassLoadingTest {
    private static final String RUNBOOK = """
            apiVersion: runbook/v1
            name: class-loading
            params:
              namespace: {default: apic}
              sftpPassword: {type: string, secret: true}
            targets:
              backups: {ssh: {host: backups.example.com, user: apicbackup, password: "${{ params.sftpPassword }}"}}
              cluster: {kubernetes: {context: prod-east, namespace: "${{ params.namespace }}"}}
            steps:
              - id: pods
                kubectl: {get: pods, selector: app=cassandra}
                capture: {names: "${{ result.items.map(p, p.metadata.name) }}"}
              - id: files
                sftp: {on: backups, list: /backups}
                capture: {files: "${{ result.files.map(f, f.name) }}"}
              - id: match
                assert: {that: "${{ size(steps.files.outputs.files) == size(steps.pods.outputs.names) }}"}
              - id: restore
                apicup: {args: [subsys, exec, mgmt, restore, "1"]}
              - id: report
                shell: {script: "echo ${{ params.namespace }}"}
            """;

    @TempDir
    Path dir;

    @Test
    void validateLoadsNoKubernetesOrSshClasses() throws Exception {
        List<String> loaded = run("validate", file().toString());
        assertThat(loaded).as("classes loaded").hasSizeGreaterThan(500);
        assertThat(loaded).filteredOn(c -> c.startsWith("dev.runbook.lang.Checker")).isNotEmpty();
        assertThat(loaded).filteredOn(ClassLoadingTest::remoteClient).isEmpty();
    }

    @Test
    void planLoadsNoKubernetesOrSshClasses() throws Exception {
        List<String> loaded = run("plan", file().toString(), "--set", "sftpPassword=example");
        assertThat(loaded).filteredOn(c -> c.startsWith("dev.runbook.plan.PlanPrinter")).isNotEmpty();
        assertThat(loaded).filteredOn(ClassLoadingTest::remoteClient).isEmpty();
    }

    /** The Kubernetes client, JSch, and the sandbox's servers (Vert.x, MINA SSHD). */
    private static boolean remoteClient(String className) {
        return className.startsWith("io.fabric8.") || className.startsWith("com.jcraft.")
                || className.startsWith("io.vertx.") || className.startsWith("org.apache.sshd.");
    }

    private Path file() throws IOException {
        Path f = dir.resolve("class-loading.yaml");
        Files.writeString(f, RUNBOOK, StandardCharsets.UTF_8);
        return f;
    }

    /** Runs the CLI in a new JVM on this test's class path; returns the names of the classes it loaded. */
    private List<String> run(String... args) throws Exception {
        Path log = dir.resolve("classes-" + args[0] + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xshare:off"); // every class from its real source, none pre-mapped
        cmd.add("-Xlog:class+load=info:file=" + log);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + args[0]).toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the CLI finishes").isTrue();
        assertThat(p.exitValue()).as("exit code of %s; output: %s", String.join(" ", args),
                Files.readString(dir.resolve("out-" + args[0]))).isZero();
        List<String> classes = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            // [0.123s][info][class,load] java.lang.Object source: jrt:/java.base
            int end = line.indexOf(" source: ");
            int start = line.lastIndexOf("] ", end) + 2;
            if (end > 0 && start > 1) {
                classes.add(line.substring(start, end));
            }
        }
        return classes;
    }
}
