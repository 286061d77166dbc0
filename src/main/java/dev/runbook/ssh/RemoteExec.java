package dev.runbook.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.runbook.lang.Durations;
import dev.runbook.proc.OutputListener;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs commands on ssh targets (SPEC section 3, {@code shell} with {@code on: TARGET}). A
 * command is not repeated when its connection drops: it may have done its work.
 */
public final class RemoteExec {
    private static final long POLL_MILLIS = 10;
    /** How long a command is polled for its end every millisecond before every POLL_MILLIS. */
    private static final long FINE_POLL_NANOS = 250_000_000L;

    private final SshConnections connections;

    public RemoteExec(SshConnections connections) {
        this.connections = connections;
    }

    /**
     * Runs {@code command} on {@code target}, its output lines going to {@code listener} as they
     * come, and returns how it ended. A timeout or an interruption stops the command's whole
     * process group on the host before this returns.
     *
     * @throws SshTimeoutException  when the command's timeout passed (its message says whether
     *                              the command was stopped)
     * @throws InterruptedException when this thread was interrupted (the command stopped the same way)
     * @throws SshException         when it could not run at all (connection, sudo wanting a password, no bash)
     */
    public ExecResult run(SshTarget target, RemoteCommand command, OutputListener listener) throws InterruptedException {
        return run(target, command, listener, () -> false);
    }

    /**
     * As {@link #run(SshTarget, RemoteCommand, OutputListener)}, also stopped once
     * {@code stopRequested} says so. A thread's interrupt alone can be lost: JSch swallows one
     * that comes while it opens a channel, and the command would then run to its end.
     */
    public ExecResult run(SshTarget target, RemoteCommand command, OutputListener listener,
                          java.util.function.BooleanSupplier stopRequested) throws InterruptedException {
        Session session = connections.session(target);
        OutputLines out = new OutputLines(false, listener);
        OutputLines err = new OutputLines(true, listener);
        ChannelExec ch;
        OutputStream stdin;
        try {
            ch = (ChannelExec) session.openChannel("exec");
            boolean direct = !target.sudo() && connections.loginShellIsBash(session, RemoteExec::loginShellIsBash);
            if (Thread.interrupted() || stopRequested.getAsBoolean()) {
                throw new InterruptedException(); // nothing runs on the host yet
            }
            ch.setCommand(RemoteCommandLine.build(command, target.sudo(), direct).getBytes(StandardCharsets.UTF_8));
            ch.setOutputStream(out, true);
            ch.setErrStream(err, true);
            stdin = ch.getOutputStream();
            ch.connect(); // see stop(): a connect timeout makes JSch give up at the first wake-up
        } catch (JSchException | IOException e) {
            throw new SshException("cannot start a command on " + connections.describe(target) + ": " + e.getMessage());
        }
        Thread feeder = feed(stdin, command.stdin());
        long started = System.nanoTime();
        long deadline = command.timeout() == null ? Long.MAX_VALUE : started + command.timeout().toNanos();
        try {
            while (!ch.isClosed()) {
                if (stopRequested.getAsBoolean()) {
                    throw new InterruptedException();
                }
                if (System.nanoTime() - deadline > 0) {
                    boolean stopped = stop(session, ch, err, target);
                    throw new SshTimeoutException("timed out after " + Durations.format(command.timeout()) + "; "
                            + (stopped ? "the remote command was stopped"
                            : "the remote command may still be running on " + connections.describe(target)), stopped);
                }
                // JSch says nothing when a channel closes, so its end is polled for. Most steps
                // are short (a step of `true` is over in a few milliseconds): polling every 10 ms
                // from the start would make up a good part of each one.
                Thread.sleep(System.nanoTime() - started < FINE_POLL_NANOS ? 1 : POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            stop(session, ch, err, target);
            throw e;
        } finally {
            feeder.interrupt();
            ch.disconnect();
        }
        out.finish();
        err.finish();
        int exit = ch.getExitStatus();
        if (err.processGroup() < 0) {
            explainWrapperFailure(target, exit, err.text());
        }
        return new ExecResult(exit, out.text(), err.text(), out.truncated() || err.truncated());
    }

    /**
     * Asks the session's login shell whether it is bash, not restricted, and so can run the
     * process-group wrapper itself rather than start a second bash for it: one process less, a
     * few milliseconds of every remote step. Any other shell (dash, zsh, csh, fish), an error or no
     * answer within 10 s says no, and the wrapper runs in {@code bash -c} as before.
     */
    private static boolean loginShellIsBash(Session session) {
        ChannelExec probe = null;
        try {
            probe = (ChannelExec) session.openChannel("exec");
            probe.setCommand(RemoteCommandLine.BASH_PROBE);
            probe.setInputStream(null);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            probe.setOutputStream(out, true);
            probe.setErrStream(OutputStream.nullOutputStream(), true);
            probe.connect();
            long until = System.nanoTime() + 10_000_000_000L;
            while (!probe.isClosed() && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            return probe.isClosed() && probe.getExitStatus() == 0
                    && out.toString(StandardCharsets.UTF_8).startsWith(RemoteCommandLine.BASH_PROBE_YES);
        } catch (JSchException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (probe != null) {
                probe.disconnect();
            }
        }
    }

    /** Writes the command's stdin, then closes it (at once when there is none: no remote read waits). */
    private static Thread feed(OutputStream stdin, byte[] bytes) {
        return Thread.ofVirtual().start(() -> {
            try (stdin) {
                if (bytes != null) {
                    stdin.write(bytes);
                    stdin.flush();
                }
            } catch (IOException e) {
                // The command ended without reading all of it, as a local one may.
            }
        });
    }

    /**
     * Stops the command's process group through a second channel, and says whether it is gone.
     * Without a known group (the wrapper never started), closing the channel is all there is.
     */
    private boolean stop(Session session, ChannelExec running, OutputLines err, SshTarget target) {
        long group = awaitProcessGroup(err, running);
        if (group <= 0) {
            running.disconnect();
            return false;
        }
        ChannelExec killer = null;
        boolean interrupted = Thread.interrupted();
        try {
            killer = (ChannelExec) session.openChannel("exec");
            killer.setCommand(RemoteCommandLine.stop(group, target.sudo()));
            killer.setInputStream(null);
            killer.setOutputStream(OutputStream.nullOutputStream());
            killer.setErrStream(OutputStream.nullOutputStream());
            // No connect timeout: with one, JSch waits for the channel's confirmation only
            // once, and any wake-up before it (an interrupt) fails the open.
            killer.connect();
            long until = System.nanoTime() + 10_000_000_000L;
            while (!killer.isClosed() && System.nanoTime() < until) {
                interrupted |= pause();
            }
            boolean groupGone = killer.isClosed() && killer.getExitStatus() == 0;
            // The wrapper shells outside the group exit once it is gone; sshd closes the
            // channel after them, so a closed channel means nothing of the command is left.
            long wrapperUntil = System.nanoTime() + 10_000_000_000L; // a busy host is slow to reap
            while (groupGone && !running.isClosed() && System.nanoTime() < wrapperUntil) {
                interrupted |= pause();
            }
            return groupGone && running.isClosed();
        } catch (JSchException e) {
            return false;
        } finally {
            if (killer != null) {
                killer.disconnect();
            }
            running.disconnect();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The command's process group. A command stopped right after it started may not have
     * announced it yet: the announcement is its first act, so it is worth a wait. Bounded at 10 s:
     * on a busy host the login shell alone can take seconds, and a command left running there
     * costs more than the wait, which only a command stopped in its first seconds ever pays.
     */
    private static long awaitProcessGroup(OutputLines err, ChannelExec running) {
        long until = System.nanoTime() + 10_000_000_000L;
        boolean interrupted = false;
        while (err.processGroup() <= 0 && !running.isClosed() && System.nanoTime() < until) {
            interrupted |= pause();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return err.processGroup();
    }

    /**
     * A pause while stopping, which is bounded (seconds) and must finish even when the thread is
     * being interrupted, or the remote command would outlive us; says whether an interrupt came,
     * for the caller to restore.
     */
    private static boolean pause() {
        try {
            Thread.sleep(POLL_MILLIS);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    /**
     * The wrapper never announced the command, so what failed is what runs before it: sudo or
     * bash. Those failures are the target's, not the command's, and are said as such.
     */
    private void explainWrapperFailure(SshTarget target, int exit, String stderr) {
        String where = connections.describe(target);
        if (target.sudo() && stderr.contains("a password is required")) {
            throw new SshException("sudo on " + where + " wants a password, and sudo -n never asks for one:"
                    + " allow this user's commands without a password (NOPASSWD in sudoers), or drop sudo from the target");
        }
        if (target.sudo() && (stderr.contains("is not in the sudoers file") || stderr.contains("is not allowed to"))) {
            throw new SshException("sudo on " + where + " refuses this user: " + firstLine(stderr));
        }
        if (exit == 127 && target.sudo() && stderr.contains("sudo")) {
            throw new SshException("sudo is not installed on " + where + " (the target has sudo: true)");
        }
        if (exit == 127 && stderr.contains("bash")) {
            throw new SshException("bash is not installed on " + where + "; remote commands run through bash");
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
