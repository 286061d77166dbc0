package dev.runbook.sandbox;

import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.Durations;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.SourceFiles;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code sandbox.yaml}: the kubeconfig's namespace and the answers to commands run in pods and
 * on SSH hosts (SPEC 6.1). Every mistake is reported as {@code FILE:LINE:COL: error: ...}
 * ({@link InvalidRunbookException}, exit 2), all of them at once.
 */
public record SandboxConfig(String namespace, List<ExecRule> exec, List<LogRule> logs) {
    public static final String FILE = "sandbox.yaml";

    /**
     * Answers a command whose pod (glob) or host matches and whose text the regex finds.
     *
     * @param delay how long a command in a pod runs: its output comes at once, its exit after this (zero: at once)
     */
    public record ExecRule(Glob pod, String host, String container, Pattern match, String stdout, String stderr,
                           int exitCode, Duration delay) {
    }

    /** Answers {@code kubectl logs} for pods matching the glob. */
    public record LogRule(Glob pod, String container, String text) {
    }

    /** {@code test:} belongs to {@code runbook test} (SPEC section 9), which reads it; a run ignores it. */
    private static final Set<String> TOP = Set.of("namespace", "exec", "logs", "test");
    private static final Set<String> EXEC = Set.of("pod", "host", "container", "match", "stdout", "stderr", "exitCode",
            "delay");
    private static final Set<String> LOGS = Set.of("pod", "container", "text");

    public static SandboxConfig none() {
        return new SandboxConfig("default", List.of(), List.of());
    }

    /**
     * Checks that {@code dir} is a sandbox and reads its sandbox.yaml, starting nothing (no
     * server class is loaded): what {@code plan} and the start of a run do first.
     *
     * @throws SandboxException not a sandbox folder
     * @throws dev.runbook.lang.InvalidRunbookException sandbox.yaml is wrong (FILE:LINE:COL messages)
     */
    public static SandboxConfig checkDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new SandboxException("sandbox: " + dir + " is not a directory");
        }
        boolean any = Files.isDirectory(dir.resolve("cluster")) || Files.isDirectory(dir.resolve("hosts"))
                || Files.isDirectory(dir.resolve("bin")) || Files.isRegularFile(dir.resolve(SandboxConfig.FILE));
        if (!any) {
            throw new SandboxException("sandbox: " + dir + " is not a sandbox: it has none of cluster/, hosts/, bin/"
                    + " or sandbox.yaml (see docs/sandbox.md)");
        }
        return read(dir);
    }

    /** Reads {@code dir/sandbox.yaml}; no file is the defaults. */
    public static SandboxConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return none();
        }
        String name = file.toString();
        String text;
        try {
            text = YamlLoader.decode(name, SourceFiles.read(file));
        } catch (SourceFiles.Refused e) {
            throw new InvalidRunbookException(List.of(new Diagnostic(name, null, e.getMessage())));
        } catch (IOException e) {
            throw new InvalidRunbookException(List.of(new Diagnostic(name, null, "cannot read: " + SourceFiles.reason(e))));
        }
        return parse(name, YamlLoader.loadIfAny(name, text));
    }

    static SandboxConfig parse(String file, YNode root) {
        Parser p = new Parser(file);
        if (root == null || root instanceof YScalar s && s.value() == null) {
            return none();
        }
        if (!(root instanceof YMap m)) {
            p.error(root, "sandbox.yaml is a map (namespace, exec, logs), not " + root.kind());
            throw new InvalidRunbookException(p.problems);
        }
        p.unknownKeys(m, TOP, "sandbox.yaml");
        String namespace = m.has("namespace") ? p.text(m.get("namespace"), "namespace") : "default";
        List<ExecRule> exec = new ArrayList<>();
        for (YMap rule : p.rules(m.get("exec"), "exec")) {
            p.unknownKeys(rule, EXEC, "an exec rule");
            boolean hasPod = rule.has("pod");
            boolean hasHost = rule.has("host");
            if (hasPod == hasHost) {
                p.error(rule, "an exec rule names either pod: GLOB or host: HOST" + (hasPod ? ", not both" : ""));
            }
            Pattern match = rule.has("match") ? p.regex(rule.get("match")) : null;
            Integer code = rule.has("exitCode") ? p.integer(rule.get("exitCode"), "exitCode") : Integer.valueOf(0);
            Duration delay = Duration.ZERO;
            if (rule.has("delay")) {
                String text = p.text(rule.get("delay"), "delay");
                delay = text == null ? null : Durations.parse(text);
                if (text != null && delay == null) {
                    p.error(rule.get("delay"), "delay must be a duration such as 500ms, 30s or 2m, not '" + text + "'");
                } else if (hasHost) {
                    p.error(rule.get("delay"), "delay applies to commands in pods (pod:), not on SSH hosts");
                }
            }
            exec.add(new ExecRule(hasPod ? Glob.of(p.text(rule.get("pod"), "pod")) : null,
                    hasHost ? p.text(rule.get("host"), "host") : null,
                    p.optionalText(rule, "container"), match, p.optionalText(rule, "stdout"),
                    p.optionalText(rule, "stderr"), code == null ? 0 : code, delay == null ? Duration.ZERO : delay));
        }
        List<LogRule> logs = new ArrayList<>();
        for (YMap rule : p.rules(m.get("logs"), "logs")) {
            p.unknownKeys(rule, LOGS, "a logs rule");
            if (!rule.has("pod")) {
                p.error(rule, "a logs rule names its pod: GLOB");
            }
            logs.add(new LogRule(Glob.of(rule.has("pod") ? p.text(rule.get("pod"), "pod") : "*"),
                    p.optionalText(rule, "container"), p.optionalText(rule, "text")));
        }
        if (!p.problems.isEmpty()) {
            throw new InvalidRunbookException(p.problems);
        }
        return new SandboxConfig(namespace == null ? "default" : namespace, List.copyOf(exec), List.copyOf(logs));
    }

    /** Collects every problem with its position, so one read reports them all. */
    private static final class Parser {
        final String file;
        final List<Diagnostic> problems = new ArrayList<>();

        Parser(String file) {
            this.file = file;
        }

        void error(YNode at, String message) {
            problems.add(new Diagnostic(file, at.pos(), message));
        }

        void unknownKeys(YMap m, Set<String> known, String where) {
            for (YMap.Entry e : m.entries()) {
                if (!known.contains(e.name())) {
                    problems.add(new Diagnostic(file, e.key().pos(), "unknown key '" + e.name() + "' in " + where
                            + " (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
                }
            }
        }

        List<YMap> rules(YNode n, String key) {
            if (n == null || n instanceof YScalar s && s.value() == null) {
                return List.of();
            }
            if (!(n instanceof YSeq seq)) {
                error(n, key + " is a list of rules, not " + n.kind());
                return List.of();
            }
            List<YMap> out = new ArrayList<>();
            for (YNode item : seq.items()) {
                if (item instanceof YMap m) {
                    out.add(m);
                } else {
                    error(item, "each " + key + " rule is a map, not " + item.kind());
                }
            }
            return out;
        }

        String text(YNode n, String key) {
            if (n instanceof YScalar s && s.value() != null && !(s.value() instanceof Boolean)) {
                return String.valueOf(s.value());
            }
            error(n, key + " must be text, not " + n.kind());
            return null;
        }

        String optionalText(YMap m, String key) {
            return m.has(key) ? text(m.get(key), key) : null;
        }

        Integer integer(YNode n, String key) {
            if (n instanceof YScalar s && s.value() instanceof Number num && num.longValue() >= 0 && num.longValue() <= 255
                    && num.doubleValue() == num.longValue()) {
                return num.intValue();
            }
            error(n, key + " must be a whole number from 0 to 255");
            return null;
        }

        Pattern regex(YNode n) {
            String text = text(n, "match");
            if (text == null) {
                return null;
            }
            try {
                return Pattern.compile(text);
            } catch (PatternSyntaxException e) {
                error(n, "match is not a valid regular expression: " + e.getDescription()
                        + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
                return null;
            }
        }
    }
}
