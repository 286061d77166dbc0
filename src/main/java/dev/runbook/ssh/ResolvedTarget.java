package dev.runbook.ssh;

import java.util.List;

/**
 * An {@link SshTarget} with the ssh client config applied: the address to connect to and the
 * credentials to offer.
 *
 * @param name          the host as the target names it (maybe a config alias), for messages
 * @param hostName      what is connected to, and what known_hosts is searched for
 * @param identityFiles keys to offer, in order
 * @param identityGiven whether the keys were named (by the target or the config): a named key
 *                      that cannot be read is an error, a missing default key is not
 * @param jump          the host to connect through (ProxyJump), or null
 */
record ResolvedTarget(SshTarget target, String name, String hostName, int port, String user,
                      List<String> identityFiles, boolean identityGiven, SshTarget jump) {

    /** {@code user@host} or {@code user@host:port}, for messages. */
    String display() {
        return user + "@" + name + (port == 22 ? "" : ":" + port);
    }
}
