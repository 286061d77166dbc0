package dev.runbook.ssh;

import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchHostKeyException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;

/** Turns what JSch throws while connecting into one line an operator can act on. */
final class ConnectErrors {
    private ConnectErrors() {
    }

    static SshException explain(JSchException e, ResolvedTarget r, StrictHostKeys hostKeys, KeyRing keys, long timeoutMillis) {
        String where = r.hostName() + " port " + r.port() + (r.name().equals(r.hostName()) ? "" : " (" + r.name() + ")");
        String msg = String.valueOf(e.getMessage());
        Throwable cause = rootCause(e);
        if (e instanceof JSchHostKeyException || e instanceof JSchChangedHostKeyException) {
            String why = hostKeys.refusal();
            return new SshException(why != null ? why : "the host key of " + where + " was refused: " + msg);
        }
        if (cause instanceof UnknownHostException) {
            return new SshException("unknown host " + r.hostName() + ": the name does not resolve"
                    + (r.name().equals(r.hostName()) ? "" : " (HostName of " + r.name() + " in the ssh config)"));
        }
        if (cause instanceof ConnectException) {
            return new SshException("connection refused by " + where + ": no SSH server listens there");
        }
        if (cause instanceof NoRouteToHostException) {
            return new SshException("cannot reach " + where + ": no route to host");
        }
        if (cause instanceof SocketTimeoutException || msg.startsWith("timeout")) {
            return new SshException("cannot reach " + where + ": no answer within " + (timeoutMillis / 1000) + "s");
        }
        if (msg.startsWith("Auth fail") || msg.startsWith("Auth cancel") || msg.contains("Too many authentication failures")) {
            return new SshException("authentication failed for " + r.display() + ": " + offered(r, keys));
        }
        if (msg.contains("Algorithm negotiation fail")) {
            return new SshException("cannot connect to " + where + ": no SSH algorithm in common (" + msg + ")");
        }
        if (msg.contains("closed by foreign host") || msg.contains("Connection reset") || msg.contains("invalid server's version")) {
            return new SshException("cannot connect to " + where + ": the connection was closed during the SSH handshake"
                    + " (is it an SSH server, and does it allow this client's address?)");
        }
        return new SshException("cannot connect to " + r.display() + ": " + msg);
    }

    private static String offered(ResolvedTarget r, KeyRing keys) {
        List<String> tried = new java.util.ArrayList<>(keys.offered());
        if (r.target().password() != null) {
            tried.add("the password");
        }
        if (tried.isEmpty()) {
            return "there was no password and no key to offer (no identityFile, no ~/.ssh/id_ed25519,"
                    + " id_ecdsa or id_rsa, no ssh-agent)";
        }
        return "the server accepted none of: " + String.join(", ", tried);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }
}
