package dev.runbook.lang;

import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys of every YAML map in a runbook, in one place, by the name of the map's definition
 * in the JSON Schema ({@code $defs}; {@code ""} is the top level). {@link ModelReader} reads a
 * map only through a {@link Section} of these names, and a test holds them equal to the
 * schema's {@code properties}, so the schema and the model cannot drift apart unnoticed.
 */
public final class Keys {
    /** Definition name to its keys, in the order the schema lists them. */
    public static final Map<String, List<String>> BY_DEF;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("", List.of("apiVersion", "name", "title", "description", "params", "vars", "targets", "defaults",
                "steps", "onFailure"));
        m.put("param", List.of("type", "default", "required", "description", "secret", "pattern", "enum"));
        m.put("target", List.of("ssh", "kubernetes"));
        m.put("sshTarget", List.of("host", "port", "user", "identityFile", "password", "knownHosts", "sudo",
                "insecureSkipHostKeyCheck"));
        m.put("kubernetesTarget", List.of("kubeconfig", "context", "namespace", "via"));
        m.put("defaults", List.of("timeout", "interval", "retries", "target", "namespace"));
        m.put("step", List.of("id", "title", "doc", "needs", "when", "forEach", "parallel", "capture", "until",
                "retries", "interval", "timeout", "unless", "mutates", "idempotent", "sensitive", "onFailure",
                "kubectl", "apicup", "shell", "sftp", "assert", "prompt", "file", "group"));
        m.put("kubectl", List.of("get", "apply", "applyFile", "patch", "delete", "logs", "exec", "export", "name",
                "namespace", "selector", "fieldSelector", "merge", "to", "strip", "allowExitCodes", "on"));
        m.put("kubectlLogs", List.of("pod", "container", "tail"));
        m.put("kubectlExec", List.of("pod", "container", "command"));
        m.put("apicup", List.of("args", "projectDir", "env", "parse", "allowExitCodes"));
        m.put("shell", List.of("command", "script", "on", "env", "cwd", "stdin", "parse", "allowExitCodes"));
        m.put("pod", List.of("pod", "container"));
        m.put("transfer", List.of("from", "to"));
        m.put("sftp", List.of("on", "list", "stat", "get", "put"));
        m.put("assert", List.of("that", "message"));
        m.put("prompt", List.of("message", "type", "choices", "default", "onDecline"));
        m.put("file", List.of("write", "read", "content", "format", "mode", "parse"));
        m.put("group", List.of("steps"));
        BY_DEF = Collections.unmodifiableMap(m);
        Map<String, Map<String, String>> ids = new java.util.HashMap<>();
        for (Map.Entry<String, List<String>> e : m.entrySet()) {
            Map<String, String> byKey = new java.util.HashMap<>();
            for (String k : e.getValue()) {
                byKey.put(k, e.getKey() + "." + k);
            }
            ids.put(e.getKey(), byKey);
        }
        IDS = ids;
    }

    /** "def.key" for every declared key, so that reading a key costs two hash lookups. */
    private static final Map<String, Map<String, String>> IDS;

    /**
     * Maps whose keys the reader does not open: it keeps them whole as {@link YNode}s, and the
     * engine reads them (with these same names) when the step runs.
     */
    public static final Set<String> KEPT_WHOLE = Set.of("kubectlLogs", "kubectlExec", "pod");

    /**
     * Every {@code def.key} that a {@link Section} was asked for, and those of them that were
     * present in the file: a test proves with them that the reader reads every declared key and
     * that the valid fixtures use every one. A few hundred short strings at most: they are
     * bounded by the keys the schema declares, whatever and however many runbooks a process
     * reads, so unlike what a runbook's check produces they may stay in the process.
     */
    static final Set<String> READ = ConcurrentHashMap.newKeySet();
    static final Set<String> PRESENT = ConcurrentHashMap.newKeySet();

    private Keys() {
    }

    public static List<String> of(String def) {
        List<String> keys = BY_DEF.get(def);
        if (keys == null) {
            throw new IllegalArgumentException("no schema definition '" + def + "'");
        }
        return keys;
    }

    static void resetTracking() {
        READ.clear();
        PRESENT.clear();
    }

    /**
     * A YAML map read as one schema definition. Asking for a key the definition does not
     * declare is a programming error and fails at once, so a key cannot be read without being
     * in the schema.
     */
    public record Section(String def, YMap map) {

        public YNode get(String key) {
            String id = declared(key);
            YNode v = map.get(key);
            if (v != null) {
                PRESENT.add(id);
            }
            return v;
        }

        public boolean has(String key) {
            String id = declared(key);
            boolean has = map.has(key);
            if (has) {
                PRESENT.add(id);
            }
            return has;
        }

        public Pos keyPos(String key) {
            declared(key);
            return map.keyPos(key);
        }

        public Pos pos() {
            return map.pos();
        }

        /** The key's value when it is a string, else null (a wrong type was reported by the schema). */
        public String string(String key) {
            return get(key) instanceof YScalar s && s.value() instanceof String str ? str : null;
        }

        public boolean bool(String key, boolean dflt) {
            return get(key) instanceof YScalar s && s.value() instanceof Boolean b ? b : dflt;
        }

        /** A non-negative int, else null. */
        public Integer integer(String key) {
            return get(key) instanceof YScalar s && s.value() instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE
                    ? (int) (long) l : null;
        }

        public Section section(String key, String childDef) {
            return get(key) instanceof YMap m ? new Section(childDef, m) : null;
        }

        /**
         * True when the map holds a key its definition does not declare. The schema has then
         * reported that key (with a did-you-mean); a "needs one of" check would only repeat the
         * same mistake in other words, so such checks stay silent.
         */
        public boolean hasUnknownKeys() {
            List<String> keys = of(def);
            for (YMap.Entry e : map.entries()) {
                if (!keys.contains(e.name())) {
                    return true;
                }
            }
            return false;
        }

        private String declared(String key) {
            Map<String, String> byKey = IDS.get(def);
            String id = byKey == null ? null : byKey.get(key);
            if (id == null) {
                throw new IllegalStateException("key '" + key + "' is not declared for '" + def + "' in Keys");
            }
            READ.add(id);
            return id;
        }
    }
}
