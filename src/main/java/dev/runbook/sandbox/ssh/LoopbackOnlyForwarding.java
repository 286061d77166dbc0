package dev.runbook.sandbox.ssh;

import java.util.Locale;
import java.util.Set;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.forward.ForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;

/**
 * Forwarding on a simulated host: a client may open a tunnel (direct-tcpip, {@code ssh -L}) to
 * 127.0.0.1 or localhost only, which is where the sandbox's API server listens; a sandbox must
 * never reach past this machine. Remote forwarding, agent and X11 forwarding are refused.
 */
final class LoopbackOnlyForwarding implements ForwardingFilter {
    private static final Set<String> ALLOWED_TARGETS = Set.of("127.0.0.1", "localhost");

    static boolean allowedTarget(String host) {
        return host != null && ALLOWED_TARGETS.contains(host.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
        return type == TcpForwardingFilter.Type.Direct && allowedTarget(address.getHostName());
    }

    @Override
    public boolean canListen(SshdSocketAddress address, Session session) {
        return false;
    }

    @Override
    public boolean canForwardAgent(Session session, String requestType) {
        return false;
    }

    @Override
    public boolean canForwardX11(Session session, String requestType) {
        return false;
    }
}
