package dev.runbook.kube;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The values of the v1 Secrets in a result (one object, a list's {@code items}, an apply's
 * answer, a dry run's object and live object), for the engine to redact like secret params:
 * each {@code data} value as the base64 text the API carries and as its decoded text, each
 * {@code stringData} value as given and base64-encoded.
 */
public final class SecretValues {
    private SecretValues() {
    }

    /** Every secret text found in {@code result}, without duplicates or empty strings. */
    public static Set<String> of(Object result) {
        Set<String> out = new LinkedHashSet<>();
        collect(result, out, 0);
        return out;
    }

    private static void collect(Object value, Set<String> out, int depth) {
        if (depth > 4) {
            return;
        }
        if (value instanceof Map<?, ?> m) {
            if (isSecret(m)) {
                addData(m.get("data"), out);
                addStringData(m.get("stringData"), out);
            }
            // A list's items, a dry run's object and live object, a file apply's items.
            for (String key : List.of("items", "object", "live")) {
                collect(m.get(key), out, depth + 1);
            }
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collect(v, out, depth + 1));
        }
    }

    private static boolean isSecret(Map<?, ?> m) {
        return "Secret".equals(m.get("kind")) && "v1".equals(m.get("apiVersion"));
    }

    private static void addData(Object data, Set<String> out) {
        if (data instanceof Map<?, ?> d) {
            for (Object v : d.values()) {
                if (v instanceof String encoded && !encoded.isEmpty()) {
                    out.add(encoded);
                    String decoded = decode(encoded);
                    if (decoded != null && !decoded.isEmpty()) {
                        out.add(decoded);
                    }
                }
            }
        }
    }

    private static void addStringData(Object data, Set<String> out) {
        if (data instanceof Map<?, ?> d) {
            for (Object v : d.values()) {
                if (v instanceof String plain && !plain.isEmpty()) {
                    out.add(plain);
                    out.add(Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }

    /** The decoded text, or null when it is not base64 of UTF-8 text (a binary key file, say). */
    private static String decode(String encoded) {
        try {
            byte[] bytes = Base64.getMimeDecoder().decode(encoded);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return null;
        }
    }
}
