package dev.runbook.kube;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kubernetes objects as plain JSON-like values (String, Long, Double, Boolean, null, ordered
 * Map, List) — the shape CEL reads — to and from JSON and YAML text.
 */
public final class KubeValues {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private KubeValues() {
    }

    /** JSON text to a plain value; integers become Long. */
    static Object parseJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return plain(JSON.readValue(text, Object.class));
        } catch (JacksonException e) {
            throw new KubeException(KubeException.Reason.SERVER, "the API server answered something that is not JSON: "
                    + abbreviate(text, 120));
        }
    }

    static String toJson(Object value) {
        return JSON.writeValueAsString(value);
    }

    /** Every document of a YAML text, empty ones dropped, each a plain value. */
    public static List<Object> parseYamlDocuments(String text, String source) {
        List<Object> docs = new ArrayList<>();
        try {
            for (Object doc : new Load(LoadSettings.builder().setLabel(source).build()).loadAllFromString(text)) {
                if (doc != null) {
                    docs.add(plain(doc));
                }
            }
        } catch (YamlEngineException e) {
            throw new KubeException(KubeException.Reason.INVALID, source + " is not valid YAML: "
                    + e.getMessage().lines().findFirst().orElse("syntax error"));
        }
        return docs;
    }

    /** A value as block-style YAML, keys in their order. */
    public static String toYaml(Object value) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return new Dump(settings).dumpToString(value);
    }

    /** A deep copy made of plain values: Long for integers, String keys, insertion-ordered maps. */
    public static Object plain(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof byte[] bytes) {
            // YAML !!binary: Kubernetes carries bytes as base64 text.
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put(String.valueOf(k), plain(val)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(o -> out.add(plain(o)));
            return out;
        }
        return v;
    }

    /** The value at a dotted path ({@code metadata.name}), or null when any part is missing. */
    public static Object at(Object root, String dottedPath) {
        Object cur = root;
        for (String part : dottedPath.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    static String string(Object root, String dottedPath) {
        return at(root, dottedPath) instanceof String s ? s : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object v) {
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    /** Removes the entry at a dotted path; true when something was there. */
    static boolean remove(Object root, String dottedPath) {
        int dot = dottedPath.lastIndexOf('.');
        Object parent = dot < 0 ? root : at(root, dottedPath.substring(0, dot));
        return parent instanceof Map<?, ?> m && m.remove(dottedPath.substring(dot + 1)) != null;
    }

    static String abbreviate(String s, int max) {
        String flat = s.strip().replaceAll("\\s+", " ");
        return flat.length() <= max ? flat : flat.substring(0, max - 3) + "...";
    }
}
