package dev.runbook.ssh;

import com.jcraft.jsch.ConfigRepository;
import com.jcraft.jsch.OpenSSHConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies {@code ~/.ssh/config} to a target as OpenSSH does for Host, HostName, User, Port,
 * IdentityFile and ProxyJump: what the target says wins, then the first value the config
 * gives. JSch's OpenSSHConfig only parses; it is deliberately not installed as JSch's config
 * repository, which would also let a config's UserKnownHostsFile or StrictHostKeyChecking
 * replace the strict, read-only host key check.
 */
final class SshConfigFile {
    private static final List<String> DEFAULT_KEYS = List.of("~/.ssh/id_ed25519", "~/.ssh/id_ecdsa", "~/.ssh/id_rsa");

    private SshConfigFile() {
    }

    static ResolvedTarget resolve(SshTarget t) {
        ConfigRepository.Config c = load(t.sshConfig()).getConfig(t.host());
        String localUser = System.getProperty("user.name");
        String user = t.user() != null ? t.user() : orElse(unquote(c.getUser()), localUser);
        int port = t.port() != null ? t.port() : c.getPort() > 0 ? c.getPort() : 22;
        String hostName = unquote(c.getHostname());
        hostName = hostName == null ? t.host() : tokens(hostName, t.host(), t.host(), port, user);

        List<String> keys = new ArrayList<>();
        boolean given = true;
        if (t.identityFile() != null) {
            keys.add(t.identityFile());
        } else {
            String[] configured = c.getValues("IdentityFile");
            if (configured != null) {
                for (String k : configured) {
                    keys.add(tokens(unquote(k), t.host(), hostName, port, user));
                }
            }
            if (keys.isEmpty()) {
                keys.addAll(DEFAULT_KEYS);
                given = false;
            }
        }
        SshTarget jump = jump(unquote(c.getValue("ProxyJump")), t);
        return new ResolvedTarget(t, t.host(), hostName, port, user, List.copyOf(keys), given, jump);
    }

    /**
     * The first hop of a ProxyJump value ({@code [user@]host[:port][,more]}); the rest of the
     * chain is the first hop's own jump, as OpenSSH treats it. The jump host shares the
     * target's known_hosts and ssh config, never its password or host-key exceptions.
     */
    private static SshTarget jump(String value, SshTarget t) {
        if (value == null || value.equalsIgnoreCase("none") || value.isBlank()) {
            return null;
        }
        String[] hops = value.split(",");
        String last = hops[hops.length - 1].strip();
        String user = null;
        Integer port = null;
        if (last.startsWith("ssh://")) {
            last = last.substring("ssh://".length());
        }
        int at = last.lastIndexOf('@');
        if (at >= 0) {
            user = last.substring(0, at);
            last = last.substring(at + 1);
        }
        int colon = last.lastIndexOf(':');
        if (colon > 0 && last.indexOf(':') == colon) {
            try {
                port = Integer.parseInt(last.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new SshException("ProxyJump '" + value + "' for " + t.host() + " has a port that is not a number");
            }
            last = last.substring(0, colon);
        }
        if (hops.length > 1) {
            // OpenSSH would reach the last hop through the earlier ones; say so rather than skip them.
            throw new SshException("ProxyJump with more than one hop ('" + value + "') is not supported; "
                    + "give the host " + last + " its own ProxyJump in the ssh config instead");
        }
        SshTarget hop = new SshTarget(last, port, user, null, null, t.knownHosts(), false, false, null, t.sshConfig());
        return hop;
    }

    private static ConfigRepository load(String file) {
        if (file != null && file.equals("none")) {
            return ConfigRepository.nullConfig;
        }
        String shown = file == null ? "~/.ssh/config" : file;
        Path p = Path.of(expandHome(shown));
        if (!Files.exists(p)) {
            if (file != null) {
                throw new SshException("ssh config file " + shown + " does not exist");
            }
            return ConfigRepository.nullConfig;
        }
        try {
            return OpenSSHConfig.parseFile(p.toString());
        } catch (IOException e) {
            throw new SshException("cannot read ssh config file " + shown + ": " + e.getMessage());
        }
    }

    static String expandHome(String path) {
        if (path.equals("~")) {
            return System.getProperty("user.home");
        }
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The ssh_config tokens a HostName or IdentityFile may hold: %h %n %p %r %u %d %%. */
    private static String tokens(String value, String alias, String hostName, int port, String user) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%' || i + 1 == value.length()) {
                sb.append(c);
                continue;
            }
            char t = value.charAt(++i);
            switch (t) {
                case 'h' -> sb.append(hostName);
                case 'n' -> sb.append(alias);
                case 'p' -> sb.append(port);
                case 'r' -> sb.append(user);
                case 'u' -> sb.append(System.getProperty("user.name"));
                case 'd' -> sb.append(System.getProperty("user.home"));
                case '%' -> sb.append('%');
                default -> sb.append('%').append(t);
            }
        }
        return expandHome(sb.toString());
    }

    private static String unquote(String s) {
        if (s == null) {
            return null;
        }
        s = s.strip();
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static String orElse(String a, String b) {
        return a != null && !a.isEmpty() ? a : b;
    }
}
