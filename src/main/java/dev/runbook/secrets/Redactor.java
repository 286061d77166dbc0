package dev.runbook.secrets;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every known secret value, and its base64 forms, with {@code ***} in any text that
 * leaves the process: console, logs, journal, reports, error messages. Secrets are registered
 * as soon as they are known (secret params at start, secret answers and sensitive outputs when
 * they arrive).
 */
public final class Redactor {
    public static final String MASK = "***";
    /** Values shorter than this are not masked: masking "1" or "a" would shred every line. */
    static final int MIN_LENGTH = 3;
    /**
     * Shorter runs of base64 that a secret decides inside longer text are not masked: four
     * characters (three bytes) are the least that is not found by chance in ordinary words.
     */
    static final int MIN_ENCODED_LENGTH = 4;

    /**
     * Replaced whole, never changed in place: a reader on another thread (live output of a
     * parallel step) always sees a complete list, never one that is half rebuilt.
     */
    private volatile List<String> needles = List.of();

    public synchronized void add(Object secret) {
        if (secret == null) {
            return;
        }
        if (secret instanceof Map<?, ?> m) {
            for (Object v : m.values()) {
                add(v);
            }
            return;
        }
        if (secret instanceof Iterable<?> it) {
            for (Object v : it) {
                add(v);
            }
            return;
        }
        String s = String.valueOf(secret);
        if (s.length() < MIN_LENGTH) {
            return;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(s);
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        forms.add(Base64.getEncoder().encodeToString(bytes));
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        // A secret piped through `echo` is base64-encoded with its trailing newline.
        forms.add(Base64.getEncoder().encodeToString((s + "\n").getBytes(StandardCharsets.UTF_8)));
        for (int offset = 0; offset < 3; offset++) {
            String inner = encodedInside(bytes, offset);
            if (inner.length() >= MIN_ENCODED_LENGTH) {
                forms.add(inner);
                forms.add(inner.replace('+', '-').replace('/', '_'));
            }
        }
        for (String line : s.split("\n")) {
            if (line.length() >= 8) {
                forms.add(line);
            }
        }
        List<String> all = new ArrayList<>(needles);
        for (String f : forms) {
            if (!all.contains(f)) {
                all.add(f);
            }
        }
        // Longest first, so that a secret's base64 is not half-masked by a shorter secret.
        all.sort(Comparator.comparingInt(String::length).reversed());
        needles = List.copyOf(all);
    }

    /**
     * The base64 characters that a secret's bytes alone decide when it stands {@code offset}
     * bytes (mod 3) into longer encoded text, as in {@code base64("root:" + secret)} for HTTP
     * basic auth. Each base64 character encodes 6 bits; those that mix bits of the text before
     * or after the secret differ with that text and are left out, the rest appear as they are
     * here whatever surrounds the secret.
     */
    static String encodedInside(byte[] secret, int offset) {
        byte[] shifted = new byte[offset + secret.length];
        System.arraycopy(secret, 0, shifted, offset, secret.length);
        String all = Base64.getEncoder().withoutPadding().encodeToString(shifted);
        int from = (offset * 8 + 5) / 6;
        int to = (offset + secret.length) * 8 / 6;
        return from < to ? all.substring(from, to) : "";
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    public String redact(String text) {
        List<String> current = needles;
        if (text == null || current.isEmpty()) {
            return text;
        }
        String out = text;
        for (String n : current) {
            if (out.contains(n)) {
                out = out.replace(n, MASK);
            }
        }
        return out;
    }

    /** A deep copy of a value with every secret string masked. */
    public Object redactValue(Object v) {
        if (needles.isEmpty() || v == null) {
            return v;
        }
        if (v instanceof String s) {
            return redact(s);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), redactValue(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(redactValue(o));
            }
            return out;
        }
        return v;
    }
}
