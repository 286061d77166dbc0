package dev.runbook.actions.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.runbook.actions.Outputs;
import dev.runbook.proc.OutputListener;
import dev.runbook.ssh.ExecResult;
import dev.runbook.ssh.RemoteCommand;
import dev.runbook.ssh.SshConnections;
import dev.runbook.ssh.SshException;
import dev.runbook.ssh.SshTarget;
import dev.runbook.ssh.SshTimeoutException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A command sent to a simulated host (sandbox run). The host runs nothing: it answers from the
 * {@code exec:} rules of sandbox.yaml, which match the command as the runbook wrote it (SPEC
 * section 6.1: the argv joined by spaces, or the script text). So the text goes as it is,
 * without the quoting and process-group wrapper a real host gets; there is no process to stop.
 */
public final class SimulatedExec {
    private SimulatedExec() {
    }

    /** The text the sandbox's rules are matched against. */
    public static String text(RemoteCommand command) {
        return command.argv() != null ? String.join(" ", command.argv()) : command.script();
    }

    public static ExecResult run(SshConnections connections, SshTarget target, RemoteCommand command,
                                 OutputListener listener) throws InterruptedException {
        return run(connections, target, command, listener, () -> false);
    }

    /** Also ends once {@code stopRequested} says so (JSch may swallow an interrupt while it opens a channel). */
    public static ExecResult run(SshConnections connections, SshTarget target, RemoteCommand command,
                                 OutputListener listener, java.util.function.BooleanSupplier stopRequested)
            throws InterruptedException {
        Session session = connections.session(target);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec ch;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            ch.setCommand(text(command).getBytes(StandardCharsets.UTF_8));
            ch.setOutputStream(out, true);
            ch.setErrStream(err, true);
            OutputStream stdin = ch.getOutputStream();
            ch.connect();
            try (stdin) {
                if (command.stdin() != null) {
                    stdin.write(command.stdin());
                }
            }
        } catch (JSchException | IOException e) {
            throw new SshException("cannot send a command to " + connections.describe(target) + ": " + e.getMessage());
        }
        Duration timeout = command.timeout();
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        try {
            while (!ch.isClosed()) {
                if (stopRequested.getAsBoolean()) {
                    throw new InterruptedException();
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new SshTimeoutException("timed out; the simulated host ran nothing", true);
                }
                Thread.sleep(10);
            }
        } finally {
            ch.disconnect();
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        Outputs.lines(stdout).forEach(l -> listener.line(l, false));
        Outputs.lines(stderr).forEach(l -> listener.line(l, true));
        return new ExecResult(ch.getExitStatus(), stdout, stderr, false);
    }
}
