package dev.runbook.journal;

import dev.runbook.secrets.Redactor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plain values (maps, lists, strings, numbers, booleans) to and from JSON, for the journal and
 * the {@code --format json} outputs. Values reaching the journal may come from CEL or from a
 * parsed command output, so anything unusual is written as its string form rather than failing
 * the run; every string, map keys included, goes through the redactor on the way out.
 */
final class Json {
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** A deep copy of {@code v} made of JSON-ready values, every string redacted. */
    static Object plain(Object v, Redactor redactor) {
        if (v == null || v instanceof Boolean) {
            return v;
        }
        if (v instanceof String s) {
            return redactor == null ? s : redactor.redact(s);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double d) {
            // JSON has no NaN or infinity: keep what was meant, readably, instead of failing.
            return d.isNaN() || d.isInfinite() ? d.toString() : d;
        }
        if (v instanceof Float f) {
            return plain(f.doubleValue(), redactor);
        }
        if (v instanceof BigInteger || v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) plain(String.valueOf(e.getKey()), redactor), plain(e.getValue(), redactor));
            }
            return out;
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) {
                out.add(plain(o, redactor));
            }
            return out;
        }
        if (v instanceof Object[] arr) {
            return plain(List.of(arr), redactor);
        }
        return plain(String.valueOf(v), redactor);
    }

    /** Jackson's reading of a JSON value, normalized: integers are Long (or BigInteger), maps keep order. */
    static Object normalize(Object v) {
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), normalize(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(normalize(o));
            }
            return out;
        }
        return v;
    }

    /** The same value with every map's keys sorted, so that equal values print identically. */
    static Object sorted(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), sorted(e.getValue()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(sorted(o));
            }
            return out;
        }
        return v;
    }

    static String write(Object plain) {
        return MAPPER.writeValueAsString(plain);
    }
}
