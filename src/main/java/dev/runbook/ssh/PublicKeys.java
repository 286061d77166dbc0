package dev.runbook.ssh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** What an operator is shown of an SSH public key: its type and fingerprint, as OpenSSH shows them. */
final class PublicKeys {
    private PublicKeys() {
    }

    /** The algorithm name a key blob starts with ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, ...). */
    static String type(byte[] blob) {
        try {
            ByteBuffer b = ByteBuffer.wrap(blob);
            int len = b.getInt();
            if (len <= 0 || len > 64 || len > b.remaining()) {
                return "unknown";
            }
            return new String(blob, 4, len, StandardCharsets.US_ASCII);
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** {@code SHA256:} and the unpadded base64 of the blob's SHA-256, exactly as {@code ssh-keygen -l} prints it. */
    static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The {@code -t} argument of ssh-keyscan that asks for a key of this algorithm. */
    static String keyscanType(String algorithm) {
        return switch (algorithm) {
            case "ssh-rsa" -> "rsa";
            case "ssh-ed25519" -> "ed25519";
            case "ssh-ed448" -> "ed448";
            case "ssh-dss" -> "dsa";
            default -> algorithm.startsWith("ecdsa-") ? "ecdsa" : algorithm;
        };
    }

    /** How OpenSSH names the key type in its messages: ED25519, ECDSA, RSA. */
    static String displayType(String algorithm) {
        return keyscanType(algorithm).toUpperCase(java.util.Locale.ROOT);
    }

    /** The blob of a public key written as OpenSSH writes it: {@code TYPE BASE64 [comment]}. */
    static byte[] parseOpenSsh(String line) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length < 2) {
            throw new SshException("not an OpenSSH public key (TYPE BASE64): '" + abbreviate(line) + "'");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new SshException("not an OpenSSH public key (its key is not base64): '" + abbreviate(line) + "'");
        }
        if (!type(blob).equals(parts[0])) {
            throw new SshException("not an OpenSSH public key (it says " + parts[0] + " but holds a " + type(blob) + " key)");
        }
        return blob;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }
}
