package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An exec request on a simulated host: the command text goes to the {@link CommandAnswers}, and
 * the answer's output and exit status go back to the client. Nothing is run on this machine.
 */
final class AnsweredCommand implements Command {
    /** A callback that throws is a bug of the sandbox's rules, not of the runbook: say so, exit 1. */
    private static final int ANSWER_FAILED = 1;

    private final String host;
    private final String command;
    private final CommandAnswers answers;
    private InputStream in = InputStream.nullInputStream();
    private OutputStream out = OutputStream.nullOutputStream();
    private OutputStream err = OutputStream.nullOutputStream();
    private ExitCallback exit = (code, message, closeImmediately) -> { };
    private volatile Thread answering;

    AnsweredCommand(String host, String command, CommandAnswers answers) {
        this.host = host;
        this.command = command;
        this.answers = answers;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        // start() is called on an I/O thread of the server; an answer may wait for stdin.
        answering = Thread.ofVirtual().name("sandbox-exec-" + host).start(this::answer);
    }

    private void answer() {
        CommandAnswer answer;
        try {
            answer = answers.answerOrDefault(new ExecRequest(host, command, in));
        } catch (RuntimeException e) {
            answer = CommandAnswer.of("", "sandbox: answering '" + command + "' on host " + host
                    + " failed: " + e.getMessage() + "\n", ANSWER_FAILED);
        }
        try {
            out.write(answer.stdout());
            out.flush();
            err.write(answer.stderr());
            err.flush();
        } catch (IOException e) {
            // The client went away before reading the answer: nobody is left to tell.
        }
        exit.onExit(answer.exitCode());
    }

    @Override
    public void destroy(ChannelSession channel) {
        Thread thread = answering;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
