package dev.runbook.lang;

import dev.runbook.lang.model.ParamType;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YamlLoader;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Coercion and validation of param values: from --set text, from --params YAML, from defaults. */
public final class ParamValues {
    private ParamValues() {
    }

    public static String article(ParamType t) {
        return switch (t) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean (true or false)";
            case LIST -> "a list";
            case MAP -> "a map";
        };
    }

    public static String show(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }

    /**
     * A value given in YAML (a default, an enum entry, a --params file) to the declared type.
     * Scalars are accepted where their text reads as the type, so {@code port: "22"} works for
     * an integer, but a string param never silently takes a number from a default.
     */
    public static Object coerceDefault(ParamType t, Object v) {
        if (t == ParamType.STRING && !(v instanceof String)) {
            throw new IllegalArgumentException();
        }
        return coerce(t, v);
    }

    /** Throws IllegalArgumentException when {@code v} is not of type {@code t}. */
    public static Object coerce(ParamType t, Object v) {
        if (v == null) {
            throw new IllegalArgumentException();
        }
        switch (t) {
            case STRING -> {
                if (v instanceof Map || v instanceof List) {
                    throw new IllegalArgumentException();
                }
                return String.valueOf(v);
            }
            case INTEGER -> {
                if (v instanceof Long || v instanceof Integer) {
                    return ((Number) v).longValue();
                }
                if (v instanceof String s && s.strip().matches("[-+]?[0-9]+")) {
                    try {
                        return Long.parseLong(s.strip().replace("+", ""));
                    } catch (NumberFormatException e) {
                        throw new OutOfRange(s.strip() + " is out of range for an integer: " + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
                    }
                }
                throw new IllegalArgumentException();
            }
            case NUMBER -> {
                // Always a double, a whole 3 included: CEL does not mix int and double in
                // arithmetic, so params.ratio * 2.0 must not depend on how the value was written.
                double d;
                if (v instanceof Number n && !(v instanceof BigDecimal)) {
                    d = n.doubleValue();
                } else if (v instanceof String s) {
                    try {
                        d = new BigDecimal(s.strip()).doubleValue();
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException();
                    }
                } else {
                    throw new IllegalArgumentException();
                }
                if (Double.isInfinite(d) && !(v instanceof Double)) {
                    throw new OutOfRange(String.valueOf(v).strip() + " is out of range for a number: at most " + Double.MAX_VALUE
                            + " either side of 0");
                }
                return d;
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    return b;
                }
                if (v instanceof String s) {
                    switch (s.strip().toLowerCase(Locale.ROOT)) {
                        case "true" -> {
                            return true;
                        }
                        case "false" -> {
                            return false;
                        }
                        default -> throw new IllegalArgumentException();
                    }
                }
                throw new IllegalArgumentException();
            }
            case LIST -> {
                if (v instanceof List<?> l) {
                    return l;
                }
                if (v instanceof String s) {
                    Object parsed = parseYamlFlow(s);
                    if (parsed instanceof List<?> l) {
                        return l;
                    }
                    // a,b,c as a convenience on the command line
                    return List.of(s.split(",", -1)).stream().map(String::strip).toList();
                }
                throw new IllegalArgumentException();
            }
            case MAP -> {
                if (v instanceof Map<?, ?> m) {
                    return m;
                }
                if (v instanceof String s && parseYamlFlow(s) instanceof Map<?, ?> m) {
                    return m;
                }
                throw new IllegalArgumentException();
            }
            default -> throw new IllegalArgumentException();
        }
    }

    /**
     * A value too big for its type: the message says the range. Never about a secret's value:
     * the caller words it without the value for a secret param.
     */
    public static final class OutOfRange extends IllegalArgumentException {
        OutOfRange(String message) {
            super(message);
        }
    }

    /**
     * Text that starts as a YAML flow list or map is read as one; when it does not parse, that
     * is an error, not a list of one odd element ({@code [x} is a list left open).
     */
    private static Object parseYamlFlow(String s) {
        String t = s.strip();
        if (!(t.startsWith("[") || t.startsWith("{"))) {
            return null;
        }
        try {
            YNode n = YamlLoader.load("--set", t);
            return n.toPlain();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a valid YAML " + (t.startsWith("[") ? "list" : "map")
                    + ": write [a, b] or {key: value} with every bracket closed, or a,b for a list");
        }
    }

    /** A sentence naming what is wrong with a typed value, or null when it is fine. */
    public static String violation(String name, ParamType type, Object value, String pattern, List<Object> enumValues,
                                   boolean secret) {
        String shown = secret ? "the value" : show(value);
        if (pattern != null && value instanceof String s && !Pattern.compile(pattern).matcher(s).find()) {
            return "param '" + name + "': " + shown + " does not match pattern " + pattern;
        }
        if (enumValues != null && !enumValues.isEmpty() && !enumValues.contains(value)) {
            return "param '" + name + "': " + shown + " is not one of "
                    + String.join(", ", enumValues.stream().map(String::valueOf).toList());
        }
        return null;
    }
}
