package dev.runbook.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} for tests, in the foreground ({@code -D}) on a socket in a
 * test's directory; keys go in with {@code ssh-add}. Tests skip where ssh-agent is missing.
 */
public final class SshAgent implements AutoCloseable {
    private final Path socket;
    private final Process process;

    private SshAgent(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    /** Starts an agent listening on DIR/agent.sock. */
    public static SshAgent start(Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-agent")),
                "ssh-agent is missing: run scripts/install-test-tools (Debian's openssh-client)");
        Path socket = dir.resolve("agent.sock");
        Process p = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > until) {
                p.destroyForcibly();
                throw new IOException("ssh-agent did not start on " + socket);
            }
            Thread.sleep(10);
        }
        return new SshAgent(socket, p);
    }

    /** The agent's socket: what SSH_AUTH_SOCK names. */
    public Path socket() {
        return socket;
    }

    /** Loads a key without a passphrase. */
    public void add(Path key) throws IOException, InterruptedException {
        add(key, null);
    }

    /** Loads a key, unlocking it with {@code passphrase} (given through SSH_ASKPASS, as no terminal is there). */
    public void add(Path key, String passphrase) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("SSH_AUTH_SOCK", socket.toString());
        Path askpass = null;
        if (passphrase != null) {
            askpass = Files.createTempFile(socket.getParent(), "askpass", ".sh",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' '" + passphrase.replace("'", "'\\''") + "'\n");
            env.put("SSH_ASKPASS", askpass.toString());
            env.put("SSH_ASKPASS_REQUIRE", "force");
            env.put("DISPLAY", ":0");
        }
        try {
            run(pb, "ssh-add " + key);
        } finally {
            if (askpass != null) {
                Files.deleteIfExists(askpass);
            }
        }
    }

    /** Makes an ed25519 key pair at {@code key} and {@code key}.pub, locked with {@code passphrase} ("" for none). */
    public static void keygen(Path key, String passphrase) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", key.toString()));
        run(new ProcessBuilder(cmd).redirectErrorStream(true), "ssh-keygen");
    }

    private static void run(ProcessBuilder pb, String what) throws IOException, InterruptedException {
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(what + " failed: " + out);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
