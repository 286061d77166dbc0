package dev.runbook.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The training run of the launcher's third class cache, the one for runs that reach a real cluster
 * or ssh host. It must hold the Kubernetes client, the HTTP client and JSch, and not the sandbox's
 * API server and SSH server (an AOT cache loads every class it holds at start, which would cost
 * every such run the servers' share). So the training sandbox runs in a JVM of its own
 * ({@code runbook sandbox}, as a user would start it), and this JVM only runs a runbook against its
 * kubeconfig and its SSH host. Anything that goes wrong only makes the cache smaller.
 */
final class RemoteTraining {
    private static final Pattern SSH_HOST = Pattern.compile("^SSH host \\S+: ssh -p (\\d+) \\S+ +known_hosts: (.+)$");
    private static final long START_TIMEOUT_SECONDS = 60;

    private RemoteTraining() {
    }

    static void run(Path dir, PrintWriter sink) throws IOException {
        Path sandbox = ArchiveTraining.trainingSandbox(dir);
        String template = resource("training/remote-run.yaml");
        String java = ProcessHandle.current().info().command().orElse(null);
        String classPath = System.getProperty("java.class.path");
        if (sandbox == null || template == null || java == null || classPath == null || classPath.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classPath, Main.class.getName(), "sandbox", sandbox.toString(),
                "--state-dir", dir.resolve("world").toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            Started started = awaitStart(server.getInputStream());
            if (started == null) {
                return;
            }
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), started.knownHostsLine + "\n");
            Path rb = dir.resolve("remote-run.yaml");
            Files.writeString(rb, template.replace("@PORT@", Integer.toString(started.sshPort))
                    .replace("@KNOWN_HOSTS@", knownHosts.toString())
                    .replace("@KUBECONFIG@", started.kubeconfig), StandardCharsets.UTF_8);
            Path out = Files.createDirectories(dir.resolve("remote-out"));
            Main.execute(new String[] {"run", rb.toString(), "--set", "dir=" + out, "--set", "pw=training", "--yes",
                    "--state-dir", dir.resolve("remote-state").toString()}, sink, sink);
        } finally {
            server.destroy();
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                server.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Started(String kubeconfig, int sshPort, String knownHostsLine) {
    }

    /**
     * Reads what {@code runbook sandbox} prints until "Press Ctrl-C", then keeps draining its output
     * (it prints a line per write) on a daemon thread so that it never blocks on a full pipe.
     * Null when it ends, or says less, before it is ready.
     */
    private static Started awaitStart(InputStream output) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        CompletableFuture<Started> started = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            String kubeconfig = null;
            String known = null;
            int port = -1;
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    Matcher m = SSH_HOST.matcher(line);
                    if (line.startsWith("export KUBECONFIG=")) {
                        kubeconfig = line.substring("export KUBECONFIG=".length());
                    } else if (m.matches()) {
                        port = Integer.parseInt(m.group(1));
                        known = m.group(2).trim();
                    } else if (line.startsWith("Press Ctrl-C")) {
                        started.complete(kubeconfig == null || port < 0 ? null : new Started(kubeconfig, port, known));
                    }
                }
            } catch (IOException e) {
                // the sandbox ended
            }
            started.complete(null);
        }, "training-sandbox-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ArchiveTraining.class.getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
