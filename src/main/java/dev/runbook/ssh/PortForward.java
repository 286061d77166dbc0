package dev.runbook.ssh;

import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.nio.charset.StandardCharsets;

/**
 * A local port on 127.0.0.1 whose connections the ssh host makes onward to a host:port it can
 * reach: how a kubernetes target {@code via:} an ssh host reaches an API server that only that
 * host sees. Closing it stops listening; the session stays for the run's other steps.
 */
public final class PortForward implements AutoCloseable {
    private final Session session;
    private final int localPort;
    private final String remote;

    private PortForward(Session session, int localPort, String remote) {
        this.session = session;
        this.localPort = localPort;
        this.remote = remote;
    }

    /** Listens on a free port of 127.0.0.1 and forwards each connection through {@code target} to {@code host:port}. */
    public static PortForward open(SshConnections connections, SshTarget target, String host, int port) {
        Session s = connections.session(target);
        try {
            int local = s.setPortForwardingL("127.0.0.1", 0, host, port);
            return new PortForward(s, local, host + ":" + port);
        } catch (JSchException e) {
            throw new SshException("cannot forward a local port to " + host + ":" + port + " through "
                    + connections.describe(target) + ": " + e.getMessage());
        }
    }

    public int localPort() {
        return localPort;
    }

    /** host:port as the ssh host reaches it. */
    public String remote() {
        return remote;
    }

    @Override
    public void close() {
        try {
            session.delPortForwardingL("127.0.0.1", localPort);
        } catch (JSchException e) {
            // Closed already, or the session is gone and the listener with it.
        }
    }

    /** Files larger than this are not "small": readFile refuses them. */
    static final int MAX_FILE = 4 * 1024 * 1024;

    /**
     * A small remote file's bytes (the host's kubeconfig), read by a command (base64, so any
     * bytes survive) rather than sftp so that a
     * target with {@code sudo: true} can read a root-only file.
     */
    public static byte[] readFile(SshConnections connections, SshTarget target, String path) throws InterruptedException {
        ExecResult r = new RemoteExec(connections).run(target,
                RemoteCommand.script("f=" + ShellQuote.word(path) + "; [ -f \"$f\" ] || { echo \"no such file: $f\" >&2; exit 2; };"
                        + " [ \"$(wc -c < \"$f\")\" -le " + MAX_FILE + " ] || { echo \"larger than " + MAX_FILE
                        + " bytes: $f\" >&2; exit 3; }; base64 < \"$f\""),
                (line, err) -> { });
        if (r.exitCode() != 0) {
            String why = r.stderr().strip();
            throw new SshException("cannot read " + path + " on " + connections.describe(target) + ": "
                    + (why.isEmpty() ? "exit code " + r.exitCode() : why.lines().reduce((a, b) -> b).orElse(why)));
        }
        return java.util.Base64.getMimeDecoder().decode(r.stdout().getBytes(StandardCharsets.US_ASCII));
    }
}
