package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.StepState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON objects back to {@link JournalRecord}s. A record that passed its checksum but lacks a
 * field or holds the wrong type was written by something else than this program: the message
 * names the field, and the reader adds the file and line.
 */
final class RecordCodec {
    private RecordCodec() {
    }

    /** Thrown for an intact line whose type this version does not know. */
    static final class UnknownType extends RuntimeException {
        UnknownType(String type) {
            super(type);
        }
    }

    static JournalRecord decode(Map<String, Object> m) {
        String type = str(m, "type", true);
        Instant at = instant(m, "at", true);
        switch (type) {
            case "run-started": {
                long format = num(m, "format", true);
                if (format > JournalRecord.FORMAT) {
                    throw new IllegalArgumentException("it was written in journal format " + format
                            + ", newer than this runbook reads (" + JournalRecord.FORMAT + "): use a newer runbook");
                }
                return new JournalRecord.RunStarted(at, str(m, "runId", true), str(m, "runbook", true), str(m, "title", false),
                        str(m, "file", false), str(m, "sha256", false), str(m, "contextSha256", false), steps(m),
                        map(m, "params"), bool(m, "dryRun"), str(m, "fromStep", false), str(m, "user", false),
                        str(m, "host", false), num(m, "pid", false));
            }
            case "step-started":
                return new JournalRecord.StepStarted(at, str(m, "id", true), (int) num(m, "attempt", false));
            case "step-finished": {
                StepState state;
                String word = str(m, "state", true);
                try {
                    state = StepState.of(word);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("unknown step state '" + word + "'");
                }
                return new JournalRecord.StepFinished(at, str(m, "id", true), state, (int) num(m, "attempts", false),
                        instant(m, "startedAt", false), instant(m, "endedAt", false), map(m, "outputs"), bool(m, "sensitive"),
                        str(m, "error", false), answer(m), m.get("wouldRun"));
            }
            case "run-finished":
                return new JournalRecord.RunFinished(at, str(m, "state", true), (int) num(m, "exitCode", true), str(m, "message", false));
            case "resumed":
                return new JournalRecord.Resumed(at, str(m, "by", false), str(m, "host", false), num(m, "pid", false),
                        str(m, "fromStep", false), str(m, "sha256", false), str(m, "contextSha256", false),
                        bool(m, "contextChanged"), steps(m), strings(m, "changed"), strings(m, "removed"));
            case "sandbox-write":
                return new JournalRecord.SandboxWrite(at, str(m, "step", false), str(m, "verb", true),
                        str(m, "resource", true), str(m, "subresource", false), str(m, "namespace", false),
                        str(m, "name", false));
            default:
                throw new UnknownType(type);
        }
    }

    private static String str(Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException("the field '" + key + "' is missing");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("the field '" + key + "' is not a string");
        }
        return s;
    }

    private static long num(Map<String, Object> m, String key, boolean required) {
        Object v = m.get(key);
        if (v == null) {
            if (required) {
                throw new IllegalArgumentException("the field '" + key + "' is missing");
            }
            return 0;
        }
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("the field '" + key + "' is not an integer");
        }
        return l;
    }

    private static boolean bool(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof Boolean)) {
            throw new IllegalArgumentException("the field '" + key + "' is not true or false");
        }
        return Boolean.TRUE.equals(v);
    }

    private static Instant instant(Map<String, Object> m, String key, boolean required) {
        String s = str(m, key, required);
        if (s == null) {
            return null;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("the field '" + key + "' is not a time: '" + s + "'");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("the field '" + key + "' is not a map");
        }
        return new LinkedHashMap<>((Map<String, Object>) v);
    }

    private static List<String> strings(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("the field '" + key + "' is not a list");
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static List<StepDef> steps(Map<String, Object> m) {
        Object v = m.get("steps");
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("the field 'steps' is not a list");
        }
        List<StepDef> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("an element of 'steps' is not a map");
            }
            Map<String, Object> s = (Map<String, Object>) o;
            out.add(new StepDef(str(s, "id", true), str(s, "title", false), str(s, "group", false),
                    str(s, "sha256", false), bool(s, "onFailure")));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Answer answer(Map<String, Object> m) {
        Object v = m.get("answer");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("the field 'answer' is not a map");
        }
        Map<String, Object> a = (Map<String, Object>) v;
        Object value = a.get("value");
        return new Answer(value == null ? null : String.valueOf(value), str(a, "by", false), instant(a, "at", false),
                str(a, "source", false));
    }
}
