package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An interactive shell on a simulated host: refused with a message on stderr and exit 1, since
 * a simulated host answers whole commands only, never keystrokes.
 */
final class RefusedShell implements Command {
    private final String host;
    private OutputStream err = OutputStream.nullOutputStream();
    private ExitCallback exit = (code, message, closeImmediately) -> { };

    RefusedShell(String host) {
        this.host = host;
    }

    static String message(String host) {
        return "sandbox: host " + host + " has no interactive shell; send one command per session"
                + " (ssh " + host + " COMMAND), answered from sandbox.yaml";
    }

    @Override
    public void setInputStream(InputStream in) {
    }

    @Override
    public void setOutputStream(OutputStream out) {
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
        try {
            // A shell usually has a terminal, whose line discipline wants \r\n.
            err.write((message(host) + "\r\n").getBytes(StandardCharsets.UTF_8));
            err.flush();
        } catch (IOException e) {
            // The client is gone: nothing to tell.
        }
        exit.onExit(1, message(host));
    }

    @Override
    public void destroy(ChannelSession channel) {
    }
}
