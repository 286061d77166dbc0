package dev.runbook.actions;

import dev.runbook.engine.ActionException;
import dev.runbook.expr.Renderer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Checks the shape of rendered values that actions take: argv lists, env maps. */
public final class Values {
    private Values() {
    }

    /**
     * A rendered argv: each element one argument, formatted as text. A plain string is one
     * argument; a string with blanks is refused, because nothing here splits words and
     * {@code "get pods"} would reach the program as one argument.
     */
    public static List<String> argv(Object v, String field) throws ActionException {
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map || o instanceof List) {
                    throw new ActionException(field + " must be a list of strings; element " + out.size() + " is "
                            + (o instanceof Map ? "a map" : "a list"));
                }
                if (o == null) {
                    throw new ActionException(field + " element " + out.size() + " is null");
                }
                out.add(Renderer.format(o));
            }
        } else if (v instanceof String s) {
            if (s.isBlank()) {
                throw new ActionException(field + " is empty");
            }
            if (s.strip().chars().anyMatch(Character::isWhitespace)) {
                throw new ActionException(field + " is the string '" + s + "'; write it as a list, one element per "
                        + "argument (nothing here splits words)");
            }
            out.add(s.strip());
        } else if (v != null) {
            out.add(Renderer.format(v));
        }
        if (out.isEmpty()) {
            throw new ActionException(field + " is empty");
        }
        return out;
    }

    /** A rendered {@code env:} map, every value as text. */
    public static Map<String, String> env(Object v) throws ActionException {
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ActionException("env must be a map of NAME: value");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (k.isEmpty() || k.contains("=") || k.indexOf('\0') >= 0) {
                throw new ActionException("env name '" + k + "' is not a valid variable name");
            }
            Object val = e.getValue();
            if (val instanceof Map || val instanceof List) {
                val = Renderer.format(val);
            }
            out.put(k, val == null ? "" : Renderer.format(val));
        }
        return out;
    }
}
