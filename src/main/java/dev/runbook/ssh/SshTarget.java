package dev.runbook.ssh;

/**
 * Where and how to reach an ssh host (SPEC section 1, {@code targets: NAME: {ssh: ...}}).
 * A null field is "not given": {@link SshConfigFile} fills it from {@code ~/.ssh/config} as
 * OpenSSH does, else the OpenSSH default applies (port 22, the local user name, the default
 * identity files).
 *
 * @param host            a host name, an address or a {@code Host} alias of the ssh config
 * @param port            null: from the ssh config, else 22
 * @param user            null: from the ssh config, else the local user name
 * @param identityFile    a private key (OpenSSH or PEM format); null: the config's
 *                        {@code IdentityFile}s, else {@code ~/.ssh/id_ed25519}, {@code id_ecdsa},
 *                        {@code id_rsa}
 * @param password        a secret: never shown by {@link #toString()} nor put in a message
 * @param knownHosts      the known_hosts file; null: {@code ~/.ssh/known_hosts} and
 *                        {@code /etc/ssh/ssh_known_hosts} (neither when {@code trustedHostKey}
 *                        is given)
 * @param sudo            run commands through {@code sudo -n}
 * @param insecureSkipHostKeyCheck accept any host key (the caller warns on every run)
 * @param trustedHostKey  a public key in OpenSSH form ({@code ssh-ed25519 AAAA...}) trusted for
 *                        this host in memory only, as the sandbox trusts its own host
 * @param sshConfig       the ssh client config; null: {@code ~/.ssh/config}; {@code "none"}:
 *                        none is read (as {@code ssh -F none})
 */
public record SshTarget(String host, Integer port, String user, String identityFile, String password,
                        String knownHosts, boolean sudo, boolean insecureSkipHostKeyCheck,
                        String trustedHostKey, String sshConfig) {

    public SshTarget {
        if (host == null || host.isBlank()) {
            throw new SshException("an ssh target needs a host");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new SshException("port " + port + " of ssh target " + host + " is not between 1 and 65535");
        }
    }

    public static SshTarget of(String host) {
        return new SshTarget(host, null, null, null, null, null, false, false, null, null);
    }

    public SshTarget withPort(Integer p) {
        return new SshTarget(host, p, user, identityFile, password, knownHosts, sudo, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withUser(String u) {
        return new SshTarget(host, port, u, identityFile, password, knownHosts, sudo, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withIdentityFile(String f) {
        return new SshTarget(host, port, user, f, password, knownHosts, sudo, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withPassword(String p) {
        return new SshTarget(host, port, user, identityFile, p, knownHosts, sudo, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withKnownHosts(String f) {
        return new SshTarget(host, port, user, identityFile, password, f, sudo, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withSudo(boolean s) {
        return new SshTarget(host, port, user, identityFile, password, knownHosts, s, insecureSkipHostKeyCheck, trustedHostKey, sshConfig);
    }

    public SshTarget withInsecureSkipHostKeyCheck(boolean skip) {
        return new SshTarget(host, port, user, identityFile, password, knownHosts, sudo, skip, trustedHostKey, sshConfig);
    }

    public SshTarget withTrustedHostKey(String key) {
        return new SshTarget(host, port, user, identityFile, password, knownHosts, sudo, insecureSkipHostKeyCheck, key, sshConfig);
    }

    public SshTarget withSshConfig(String file) {
        return new SshTarget(host, port, user, identityFile, password, knownHosts, sudo, insecureSkipHostKeyCheck, trustedHostKey, file);
    }

    /** Without the password, which is a secret; says only whether one is set. */
    @Override
    public String toString() {
        return "SshTarget[" + (user != null ? user + "@" : "") + host + (port != null ? ":" + port : "")
                + (identityFile != null ? ", identityFile=" + identityFile : "")
                + (password != null ? ", password=(set)" : "")
                + (knownHosts != null ? ", knownHosts=" + knownHosts : "")
                + (sudo ? ", sudo" : "") + (insecureSkipHostKeyCheck ? ", insecureSkipHostKeyCheck" : "")
                + (trustedHostKey != null ? ", trustedHostKey" : "")
                + (sshConfig != null ? ", sshConfig=" + sshConfig : "") + "]";
    }
}
