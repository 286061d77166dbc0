package dev.runbook.runbooktest;

import dev.runbook.engine.StepState;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.Pos;
import dev.runbook.lang.SourceFiles;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code test:} section of a {@code sandbox.yaml}. Every problem is reported at its
 * key or value as {@code FILE:LINE:COL: error: ...}, all at once: a misspelt {@code expect} key
 * would otherwise make a test that checks nothing and always passes.
 */
public final class TestSpecReader {
    public static final String SANDBOX_FILE = "sandbox.yaml";

    private static final Set<String> TEST_KEYS = Set.of("runbook", "params", "set", "answers", "yes", "dryRun",
            "workdir", "expect");
    private static final Set<String> EXPECT_KEYS = Set.of("exit", "failedStep", "message", "states", "cluster",
            "files", "writes");
    private static final Set<String> CLUSTER_KEYS = Set.of("kind", "name", "namespace", "path", "equals", "absent");
    private static final Set<String> FILE_KEYS = Set.of("path", "absent", "mode", "contains", "lacks");

    private final String file;
    private final List<Diagnostic> problems = new ArrayList<>();

    private TestSpecReader(String file) {
        this.file = file;
    }

    /** The root of a {@code sandbox.yaml}, or null when the file holds no document. */
    static YNode loadRoot(Path sandboxFile) {
        String name = sandboxFile.toString();
        try {
            return YamlLoader.loadIfAny(name, YamlLoader.decode(name, SourceFiles.read(sandboxFile)));
        } catch (IOException e) {
            throw new RunbookTestException(List.of(new Diagnostic(name, null, "cannot read it: " + SourceFiles.reason(e))));
        } catch (InvalidRunbookException e) {
            throw new RunbookTestException(e.diagnostics());
        }
    }

    /** Whether the folder's {@code sandbox.yaml} has a {@code test:} section (bad YAML is an error). */
    static boolean hasTest(Path folder) {
        return loadRoot(folder.resolve(SANDBOX_FILE)) instanceof YMap m && m.has("test");
    }

    /** Reads the test of {@code folder}, named {@code name}. */
    public static TestSpec read(String name, Path folder) {
        Path sandboxFile = folder.resolve(SANDBOX_FILE);
        TestSpecReader r = new TestSpecReader(sandboxFile.toString());
        YNode root = loadRoot(sandboxFile);
        if (!(root instanceof YMap m) || !m.has("test")) {
            throw new RunbookTestException(List.of(new Diagnostic(sandboxFile.toString(), root == null ? null : root.pos(),
                    "no test: section: this folder is a sandbox, not a runbook test")));
        }
        TestSpec spec = r.test(name, folder, m.get("test"));
        if (!r.problems.isEmpty()) {
            throw new RunbookTestException(r.problems.stream().sorted().toList());
        }
        return spec;
    }

    private TestSpec test(String name, Path folder, YNode node) {
        YMap test = map(node, "test");
        if (test == null) {
            return null;
        }
        unknownKeys(test, TEST_KEYS, "test");
        String runbook = string(test, "runbook");
        if (runbook == null && !test.has("runbook")) {
            error(test.pos(), "test: needs 'runbook': the runbook file, relative to this folder");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        YMap p = map(test.get("params"), "params");
        if (p != null) {
            for (YMap.Entry e : p.entries()) {
                params.put(e.name(), e.value().toPlain());
            }
        }
        String workdir = string(test, "workdir");
        TestSpec.Expect expect = expect(test.get("expect"));
        if (runbook == null || expect == null && test.has("expect")) {
            return null;
        }
        return new TestSpec(name, folder, folder.resolve(runbook).normalize(), params, scalars(test.get("set"), "set"),
                scalars(test.get("answers"), "answers"), bool(test, "yes"), bool(test, "dryRun"),
                workdir == null ? null : folder.resolve(workdir).normalize(),
                expect == null ? new TestSpec.Expect(null, null, null, Map.of(), List.of(), List.of(), null) : expect);
    }

    private TestSpec.Expect expect(YNode node) {
        if (node == null) {
            return null;
        }
        YMap m = map(node, "expect");
        if (m == null) {
            return null;
        }
        unknownKeys(m, EXPECT_KEYS, "expect");
        Map<String, String> states = new LinkedHashMap<>();
        YMap s = map(m.get("states"), "states");
        if (s != null) {
            for (YMap.Entry e : s.entries()) {
                if (e.value() instanceof YScalar v && v.value() instanceof String word && isState(word)) {
                    states.put(e.name(), word);
                } else {
                    error(e.value().pos(), "states: '" + e.name() + "' must be a step state: pending, running,"
                            + " succeeded, failed, skipped, satisfied, blocked, interrupted or would-run");
                }
            }
        }
        List<TestSpec.ClusterExpect> cluster = new ArrayList<>();
        for (YMap c : maps(m.get("cluster"), "cluster")) {
            unknownKeys(c, CLUSTER_KEYS, "a cluster expectation");
            String kind = required(c, "kind", "a cluster expectation");
            String name = required(c, "name", "a cluster expectation");
            boolean absent = bool(c, "absent");
            String path = string(c, "path");
            Object equals = null;
            if (c.has("equals")) {
                YNode v = c.get("equals");
                if (v instanceof YScalar sc) {
                    equals = sc.value();
                } else {
                    error(v.pos(), "equals: must be a single value (text, number or true/false), not " + v.kind());
                }
            }
            if (absent && (path != null || c.has("equals"))) {
                error(c.keyPos("absent"), "absent: true cannot be combined with path/equals");
            } else if ((path == null) != !c.has("equals")) {
                error(c.pos(), "a cluster expectation needs both 'path' and 'equals', or neither");
            }
            cluster.add(new TestSpec.ClusterExpect(kind, name, string(c, "namespace"), path, equals, absent));
        }
        List<TestSpec.FileExpect> files = new ArrayList<>();
        for (YMap f : maps(m.get("files"), "files")) {
            unknownKeys(f, FILE_KEYS, "a files expectation");
            String path = required(f, "path", "a files expectation");
            String mode = string(f, "mode");
            if (mode != null && !mode.matches("0?[0-7]{3}")) {
                error(f.get("mode").pos(), "mode: '" + mode + "' is not an octal file mode such as \"0600\" (quote it)");
            }
            files.add(new TestSpec.FileExpect(path, bool(f, "absent"), mode, texts(f.get("contains"), "contains"),
                    texts(f.get("lacks"), "lacks")));
        }
        return new TestSpec.Expect(integer(m, "exit"), string(m, "failedStep"), string(m, "message"), states, cluster,
                files, integer(m, "writes"));
    }

    private static boolean isState(String word) {
        try {
            StepState.of(word);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void unknownKeys(YMap m, Set<String> known, String where) {
        for (YMap.Entry e : m.entries()) {
            if (!known.contains(e.name())) {
                error(e.key().pos(), "unknown key '" + e.name() + "' in " + where + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private YMap map(YNode n, String key) {
        if (n == null) {
            return null;
        }
        if (n instanceof YMap m) {
            return m;
        }
        error(n.pos(), key + ": must be a map, not " + n.kind());
        return null;
    }

    private List<YMap> maps(YNode n, String key) {
        List<YMap> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (!(n instanceof YSeq seq)) {
            error(n.pos(), key + ": must be a list of maps, not " + n.kind());
            return out;
        }
        for (YNode item : seq.items()) {
            YMap m = map(item, "each entry of " + key);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** A map of NAME: VALUE given on the command line, each value a single scalar. */
    private Map<String, String> scalars(YNode n, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        YMap m = map(n, key);
        if (m == null) {
            return out;
        }
        for (YMap.Entry e : m.entries()) {
            if (e.value() instanceof YScalar s && s.value() != null) {
                out.put(e.name(), s.text());
            } else {
                error(e.value().pos(), key + ": '" + e.name() + "' must be a single value (text, number or true/false)");
            }
        }
        return out;
    }

    private List<String> texts(YNode n, String key) {
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        List<YNode> items = n instanceof YSeq seq ? seq.items() : List.of(n);
        for (YNode item : items) {
            if (item instanceof YScalar s && s.value() != null) {
                out.add(s.text());
            } else {
                error(item.pos(), key + ": must be text or a list of texts, not " + item.kind());
            }
        }
        return out;
    }

    private String required(YMap m, String key, String where) {
        String v = string(m, key);
        if (v == null && !m.has(key)) {
            error(m.pos(), where + " needs '" + key + "'");
        }
        return v;
    }

    private String string(YMap m, String key) {
        YNode n = m.get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar s && s.value() != null && !(s.value() instanceof Boolean)) {
            return s.text();
        }
        error(n.pos(), key + ": must be text, not " + n.kind());
        return null;
    }

    private Integer integer(YMap m, String key) {
        YNode n = m.get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar s && s.value() instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        error(n.pos(), key + ": must be a whole number of 0 or more, not " + (n instanceof YScalar s ? "'" + s.text() + "'" : n.kind()));
        return null;
    }

    private boolean bool(YMap m, String key) {
        YNode n = m.get(key);
        if (n == null) {
            return false;
        }
        if (n instanceof YScalar s && s.value() instanceof Boolean b) {
            return b;
        }
        error(n.pos(), key + ": must be true or false, not " + (n instanceof YScalar s ? "'" + s.text() + "'" : n.kind()));
        return false;
    }

    private void error(Pos pos, String message) {
        problems.add(new Diagnostic(file, pos, message));
    }
}
