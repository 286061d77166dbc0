package dev.runbook.ssh;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.UserInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The host keys one connection may accept: the known_hosts entries for the host and, for the
 * sandbox, one key trusted in memory. Read only: {@link #add} and {@link #remove} do nothing,
 * so JSch can never write a known_hosts file. With StrictHostKeyChecking=yes, JSch refuses any
 * key {@link #check} does not call OK; this class remembers what it saw so that the refusal
 * can be explained the way OpenSSH explains it.
 */
final class StrictHostKeys implements HostKeyRepository {
    enum Verdict { NOT_CHECKED, KNOWN, UNKNOWN, CHANGED, REVOKED }

    private final String host;
    private final int port;
    private final String knownHostsShown;
    private final List<KnownHostsFile.Entry> entries;
    private final byte[] trustedKey;

    private Verdict verdict = Verdict.NOT_CHECKED;
    private byte[] presented;
    private KnownHostsFile.Entry conflicting;

    /**
     * @param knownHostsShown the file an unknown key should be added to, as the user wrote it
     * @param entries         every entry of the files read (they are matched here)
     * @param trustedKey      a key blob trusted for this host, or null
     */
    StrictHostKeys(String host, int port, String knownHostsShown, List<KnownHostsFile.Entry> entries, byte[] trustedKey) {
        this.host = host;
        this.port = port;
        this.knownHostsShown = knownHostsShown;
        this.entries = entries;
        this.trustedKey = trustedKey;
    }

    private List<KnownHostsFile.Entry> forName(String name) {
        return entries.stream().filter(e -> KnownHostsFile.matches(e, name)).toList();
    }

    @Override
    public synchronized int check(String name, byte[] key) {
        presented = key.clone();
        String algorithm = PublicKeys.type(key);
        List<KnownHostsFile.Entry> mine = forName(name);
        for (KnownHostsFile.Entry e : mine) {
            if (e.marker().equals("@revoked") && Arrays.equals(e.key(), key)) {
                conflicting = e;
                verdict = Verdict.REVOKED;
                return CHANGED;
            }
        }
        if (trustedKey != null && Arrays.equals(trustedKey, key)) {
            verdict = Verdict.KNOWN;
            return OK;
        }
        KnownHostsFile.Entry sameType = null;
        for (KnownHostsFile.Entry e : mine) {
            if (e.marker().isEmpty() && e.algorithm().equals(algorithm)) {
                if (Arrays.equals(e.key(), key)) {
                    verdict = Verdict.KNOWN;
                    return OK;
                }
                sameType = sameType == null ? e : sameType;
            }
        }
        if (sameType != null) {
            conflicting = sameType;
            verdict = Verdict.CHANGED;
            return CHANGED;
        }
        verdict = Verdict.UNKNOWN;
        return NOT_INCLUDED;
    }

    synchronized Verdict verdict() {
        return verdict;
    }

    /** Why the host key was refused, as one line, or null when it was not refused. */
    synchronized String refusal() {
        if (presented == null) {
            return null;
        }
        String algorithm = PublicKeys.type(presented);
        String key = PublicKeys.displayType(algorithm) + " key " + PublicKeys.fingerprint(presented);
        String where = port == 22 ? host : host + " (port " + port + ")";
        return switch (verdict) {
            case UNKNOWN -> "the host key of " + where + " is not known: its " + key + " is not in "
                    + knownHostsShown + otherTypesKnown(algorithm)
                    + "; check that fingerprint with the host's owner, then add the key with: ssh-keyscan -p " + port
                    + " -t " + PublicKeys.keyscanType(algorithm) + " " + host + " >> " + knownHostsShown;
            case CHANGED -> "WARNING: the host key of " + where + " has CHANGED: it now presents the " + key
                    + ", not the key in " + conflicting.file() + " line " + conflicting.line()
                    + "; someone may be intercepting the connection (or the host was reinstalled). Connection refused;"
                    + " if the change is expected, remove the old key with: ssh-keygen -R '"
                    + KnownHostsFile.lookupName(host, port) + "' -f " + conflicting.file();
            case REVOKED -> "WARNING: the host key of " + where + " (" + key + ") is marked @revoked in "
                    + conflicting.file() + " line " + conflicting.line() + "; connection refused";
            case KNOWN, NOT_CHECKED -> null;
        };
    }

    private String otherTypesKnown(String algorithm) {
        TreeSet<String> others = new TreeSet<>();
        for (KnownHostsFile.Entry e : forName(KnownHostsFile.lookupName(host, port))) {
            if (e.marker().isEmpty() && !e.algorithm().equals(algorithm)) {
                others.add(PublicKeys.keyscanType(e.algorithm()));
            }
        }
        return others.isEmpty() ? "" : " (keys of another type are known for it: " + String.join(", ", others)
                + "; the host no longer offers them)";
    }

    /** Never stores anything: a run must not add host keys. */
    @Override
    public void add(HostKey hostkey, UserInfo ui) {
    }

    @Override
    public void remove(String host, String type) {
    }

    @Override
    public void remove(String host, String type, byte[] key) {
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHostsShown;
    }

    @Override
    public HostKey[] getHostKey() {
        return getHostKey(null, null);
    }

    /**
     * The keys known for {@code name}, so that JSch asks the server first for a key type that
     * is known (its prefer_known_host_key_types, as OpenSSH orders HostKeyAlgorithms).
     */
    @Override
    public HostKey[] getHostKey(String name, String type) {
        List<HostKey> out = new ArrayList<>();
        for (KnownHostsFile.Entry e : name == null ? entries : forName(name)) {
            if (e.marker().isEmpty() && (type == null || type.equals(e.algorithm()))) {
                add(out, name == null ? e.patterns() : name, e.key());
            }
        }
        if (trustedKey != null && (type == null || type.equals(PublicKeys.type(trustedKey)))) {
            add(out, name == null ? host : name, trustedKey);
        }
        return out.toArray(HostKey[]::new);
    }

    private static void add(List<HostKey> out, String name, byte[] key) {
        try {
            out.add(new HostKey(name, key));
        } catch (JSchException e) {
            // A key type JSch does not know cannot be negotiated anyway.
        }
    }
}
