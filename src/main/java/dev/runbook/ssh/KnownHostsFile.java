package dev.runbook.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The entries of an OpenSSH known_hosts file, read only (nothing here ever writes one).
 * Matches host names as OpenSSH's hostfile.c does: comma-separated patterns with {@code *} and
 * {@code ?}, {@code !negation}, hashed {@code |1|salt|hash} names, and {@code [host]:port} for a
 * port other than 22 (with no fallback to the bare host, unlike JSch's own KnownHosts).
 */
final class KnownHostsFile {
    /** One usable line. {@code marker} is "" or "@revoked"; @cert-authority lines are skipped. */
    record Entry(String file, int line, String marker, String patterns, byte[] key, String algorithm) {
    }

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private KnownHostsFile() {
    }

    /** The entries of {@code file} as shown to the user as {@code shownName}; none when it does not exist. */
    static List<Entry> read(Path file, String shownName) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SshException("cannot read known_hosts file " + shownName + ": " + e.getMessage());
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Entry e = parse(lines.get(i), shownName, i + 1);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** A line as an entry, or null for a comment, a blank, a CA line or a line OpenSSH would skip too. */
    static Entry parse(String raw, String file, int lineNo) {
        String line = raw.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        String[] f = SPACES.split(line);
        int i = 0;
        String marker = "";
        if (f[0].startsWith("@")) {
            marker = f[0];
            i = 1;
            if (!marker.equals("@revoked")) {
                return null;
            }
        }
        if (f.length < i + 3) {
            return null;
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(f[i + 2]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Entry(file, lineNo, marker, f[i], key, PublicKeys.type(key));
    }

    /** Whether the entry's host patterns take in {@code name} ("host", or "[host]:port" off port 22). */
    static boolean matches(Entry e, String name) {
        String patterns = e.patterns();
        if (patterns.startsWith("|1|")) {
            return hashedMatches(patterns, name);
        }
        boolean positive = false;
        for (String p : patterns.split(",")) {
            boolean negated = p.startsWith("!");
            String pat = negated ? p.substring(1) : p;
            if (glob(pat.toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT))) {
                if (negated) {
                    return false;
                }
                positive = true;
            }
        }
        return positive;
    }

    /** {@code |1|base64(salt)|base64(HMAC-SHA1(salt, name))}, as {@code ssh-keygen -H} writes it. */
    private static boolean hashedMatches(String field, String name) {
        String[] parts = field.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    /** OpenSSH's match_pattern: '*' any run of characters, '?' one character. */
    static boolean glob(String pattern, String s) {
        return glob(pattern, 0, s, 0);
    }

    private static boolean glob(String p, int pi, String s, int si) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = si; k <= s.length(); k++) {
                    if (glob(p, pi, s, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length() || (c != '?' && c != s.charAt(si))) {
                return false;
            }
            pi++;
            si++;
        }
        return si == s.length();
    }

    /** The name a host is looked up by: OpenSSH writes {@code [host]:port} for any port but 22. */
    static String lookupName(String host, int port) {
        return port == 22 ? host : "[" + host + "]:" + port;
    }
}
