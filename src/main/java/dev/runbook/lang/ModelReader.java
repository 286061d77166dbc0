package dev.runbook.lang;

import dev.runbook.expr.Expr;
import dev.runbook.expr.Template;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.Defaults;
import dev.runbook.lang.model.OnFailure;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.ParamType;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.model.Target;
import dev.runbook.lang.model.Var;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YSeq;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Stage 2b: the YAML tree to the typed model. Tolerant by design: the schema has already
 * reported wrong shapes, so a value of the wrong type is skipped here rather than reported
 * twice, and reading goes on so that later checks can still find their problems. What the
 * schema cannot say (exactly one action, one verb, defaults of the declared type) is reported.
 */
public final class ModelReader {
    public static final List<String> ACTIONS = List.of("kubectl", "apicup", "shell", "sftp", "assert", "prompt", "file", "group");
    public static final List<String> KUBECTL_VERBS = List.of("get", "apply", "applyFile", "patch", "delete", "logs", "exec", "export");

    private final Problems problems;

    private ModelReader(Problems problems) {
        this.problems = problems;
    }

    public static Runbook read(String file, String source, YMap root, Problems problems) {
        return new ModelReader(problems).runbook(file, source, root);
    }

    private Runbook runbook(String file, String source, YMap root) {
        Map<String, Param> params = new LinkedHashMap<>();
        if (root.get("params") instanceof YMap pm) {
            for (YMap.Entry e : pm.entries()) {
                if (e.value() instanceof YMap spec) {
                    params.put(e.name(), param(e.name(), e.key().pos(), spec));
                } else if (e.value() instanceof YScalar s && s.value() == null) {
                    params.put(e.name(), new Param(e.name(), ParamType.STRING, null, false, true, null, false, null, List.of(), e.key().pos()));
                }
            }
        }
        List<Var> vars = new ArrayList<>();
        if (root.get("vars") instanceof YMap vm) {
            for (YMap.Entry e : vm.entries()) {
                vars.add(new Var(e.name(), e.value(), e.key().pos()));
            }
        }
        Map<String, Target> targets = new LinkedHashMap<>();
        targets.put("local", new Target.Local("local", Pos.START));
        if (root.get("targets") instanceof YMap tm) {
            for (YMap.Entry e : tm.entries()) {
                Target t = target(e);
                if (t != null) {
                    if (e.name().equals("local")) {
                        problems.error(e.key().pos(), "'local' is a built-in target and cannot be redefined");
                    }
                    targets.put(e.name(), t);
                }
            }
        }
        Defaults defaults = Defaults.NONE;
        if (root.get("defaults") instanceof YMap dm) {
            defaults = new Defaults(duration(dm, "timeout"), duration(dm, "interval"), integer(dm, "retries"),
                    string(dm, "target"), dm.get("namespace"));
        }
        List<Step> steps = steps(root.get("steps"), null);
        List<Step> onFailure = steps(root.get("onFailure"), null);
        return new Runbook(file, source, string(root, "apiVersion"), string(root, "name"), string(root, "title"),
                string(root, "description"), params, vars, targets, defaults, steps, onFailure, root);
    }

    // ---- params -----------------------------------------------------------------------------

    private Param param(String name, Pos pos, YMap spec) {
        ParamType type = ParamType.STRING;
        if (spec.get("type") instanceof YScalar t && t.value() instanceof String s && ParamType.of(s) != null) {
            type = ParamType.of(s);
        }
        boolean secret = bool(spec, "secret", false);
        String pattern = string(spec, "pattern");
        if (pattern != null) {
            if (type != ParamType.STRING) {
                problems.error(spec.keyPos("pattern"), "param '" + name + "': 'pattern' applies to string params only");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException ex) {
                problems.error(spec.get("pattern").pos(), "param '" + name + "': invalid pattern: " + ex.getDescription());
                pattern = null;
            }
        }
        List<Object> enumValues = new ArrayList<>();
        if (spec.get("enum") instanceof YSeq es) {
            for (YNode n : es.items()) {
                try {
                    enumValues.add(ParamValues.coerce(type, n.toPlain()));
                } catch (IllegalArgumentException ex) {
                    problems.error(n.pos(), "param '" + name + "': enum value " + ParamValues.show(n.toPlain())
                            + " is not " + ParamValues.article(type));
                }
            }
        }
        Object def = null;
        boolean hasDefault = spec.has("default");
        if (hasDefault) {
            YNode d = spec.get("default");
            if (secret) {
                problems.error(spec.keyPos("default"), "secret param '" + name + "' must not have a default: a secret written in the file is no secret",
                        "pass it with --set " + name + "=... or --params FILE at run time");
            }
            if (d instanceof YScalar ds && ds.value() == null) {
                hasDefault = true;
            } else {
                try {
                    def = ParamValues.coerceDefault(type, d.toPlain());
                    String err = ParamValues.violation(name, type, def, pattern, enumValues, secret);
                    if (err != null) {
                        problems.error(d.pos(), "default of " + err);
                    }
                } catch (IllegalArgumentException ex) {
                    problems.error(d.pos(), "default of param '" + name + "' must be " + ParamValues.article(type)
                            + ", not " + d.kind() + (type == ParamType.STRING ? " (quote it)" : ""));
                }
            }
        }
        boolean required = !hasDefault;
        if (spec.get("required") instanceof YScalar r && r.value() instanceof Boolean b) {
            required = b && !hasDefault;
        }
        return new Param(name, type, def, hasDefault, required, string(spec, "description"), secret, pattern,
                List.copyOf(enumValues), pos);
    }

    // ---- targets ----------------------------------------------------------------------------

    private Target target(YMap.Entry e) {
        if (!(e.value() instanceof YMap m)) {
            return null;
        }
        if (m.get("ssh") instanceof YMap s) {
            return new Target.Ssh(e.name(), e.key().pos(), s.get("host"), s.get("port"), s.get("user"),
                    s.get("identityFile"), s.get("password"), s.get("knownHosts"), s.get("sudo"));
        }
        if (m.get("kubernetes") instanceof YMap k) {
            return new Target.Kubernetes(e.name(), e.key().pos(), k.get("kubeconfig"), k.get("context"),
                    k.get("namespace"), string(k, "via"));
        }
        return null;
    }

    // ---- steps ------------------------------------------------------------------------------

    private List<Step> steps(YNode node, String group) {
        List<Step> out = new ArrayList<>();
        if (node instanceof YSeq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YMap m) {
                    Step s = step(m, group);
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
        }
        return out;
    }

    private Step step(YMap m, String group) {
        String id = string(m, "id");
        if (id == null) {
            return null; // the schema reported the missing or ill-typed id
        }
        List<YMap.Entry> actions = new ArrayList<>();
        for (YMap.Entry e : m.entries()) {
            if (ACTIONS.contains(e.name())) {
                actions.add(e);
            }
        }
        Action action = null;
        if (actions.isEmpty()) {
            problems.error(m.keyPos("id"), "step '" + id + "' has no action: give exactly one of " + String.join(", ", ACTIONS));
        } else {
            if (actions.size() > 1) {
                problems.error(actions.get(1).key().pos(), "step '" + id + "' has more than one action ('"
                        + actions.get(0).name() + "' and '" + actions.get(1).name() + "'): a step does exactly one thing",
                        "split it into two steps");
            }
            action = action(id, actions.get(0));
        }

        List<String> needs = new ArrayList<>();
        YNode n = m.get("needs");
        if (n instanceof YScalar s && s.value() instanceof String str) {
            needs.add(str);
        } else if (n instanceof YSeq seq) {
            for (YNode x : seq.items()) {
                if (x instanceof YScalar xs && xs.value() instanceof String str) {
                    needs.add(str);
                }
            }
        }
        List<Capture> capture = new ArrayList<>();
        if (m.get("capture") instanceof YMap cm) {
            for (YMap.Entry e : cm.entries()) {
                Expr ex = expression(e.value(), "capture '" + e.name() + "'");
                if (ex != null) {
                    capture.add(new Capture(e.name(), ex));
                }
            }
        }
        int parallel = 1;
        if (m.get("parallel") instanceof YScalar p && p.value() instanceof Long l && l >= 1) {
            parallel = (int) Math.min(l, 1024);
            if (!m.has("forEach")) {
                problems.error(m.keyPos("parallel"), "'parallel' only applies to a step with forEach");
            }
        }
        OnFailure onFailure = OnFailure.ABORT;
        if (m.get("onFailure") instanceof YScalar f && "continue".equals(f.value())) {
            onFailure = OnFailure.CONTINUE;
        }
        Boolean mutates = m.get("mutates") instanceof YScalar mu && mu.value() instanceof Boolean b ? b : null;
        if (action instanceof Action.Group && m.has("forEach")) {
            problems.error(m.keyPos("forEach"), "a group cannot have forEach: put forEach on the steps inside it");
        }
        if (m.has("until") && action instanceof Action.Group) {
            problems.error(m.keyPos("until"), "a group cannot have until: put until on a step inside it");
        }
        return new Step(id, m.pos(), group, string(m, "title"), string(m, "doc"), List.copyOf(needs),
                expression(m.get("when"), "when"), forEach(m.get("forEach")), parallel, List.copyOf(capture),
                expression(m.get("until"), "until"), integer(m, "retries"), duration(m, "interval"), duration(m, "timeout"),
                expression(m.get("unless"), "unless"), mutates, bool(m, "idempotent", false), bool(m, "sensitive", false),
                onFailure, action, m);
    }

    private Expr forEach(YNode n) {
        if (n instanceof YSeq) {
            return Expr.literal(n);
        }
        return expression(n, "forEach");
    }

    /**
     * An expression field: CEL with or without {@code ${{ }}}. Text around a {@code ${{ }}} is
     * an error here, because the field is one expression, not a string.
     */
    private Expr expression(YNode n, String field) {
        if (n == null) {
            return null;
        }
        if (n instanceof YScalar s) {
            if (s.value() instanceof Boolean || s.value() instanceof Number) {
                return Expr.literal(s);
            }
            if (!(s.value() instanceof String text)) {
                return null;
            }
            if (Template.mayHoldTemplate(text)) {
                Template t = Template.parse(s, problems);
                if (t.isSingleHole()) {
                    return t.holes().get(0);
                }
                if (t.hasHoles()) {
                    problems.error(s.pos(), "'" + field + "' is one expression: write it without text around '${{ }}'",
                            "for example: " + field + ": \"${{ a && b }}\"");
                }
                return null;
            }
            int lead = 0;
            while (lead < text.length() && Character.isWhitespace(text.charAt(lead))) {
                lead++;
            }
            if (text.isBlank()) {
                problems.error(s.pos(), "'" + field + "' is empty: it needs an expression");
                return null;
            }
            return Expr.cel(text.strip(), s, lead);
        }
        return null;
    }

    private Action action(String id, YMap.Entry e) {
        String kind = e.name();
        YNode v = e.value();
        if (kind.equals("group")) {
            if (v instanceof YSeq) {
                return new Action.Group(steps(v, id));
            }
            if (v instanceof YMap gm) {
                return new Action.Group(steps(gm.get("steps"), id));
            }
            return new Action.Group(List.of());
        }
        if (!(v instanceof YMap m)) {
            return null; // the schema reported it
        }
        switch (kind) {
            case "kubectl" -> {
                List<String> verbs = new ArrayList<>();
                for (YMap.Entry x : m.entries()) {
                    if (KUBECTL_VERBS.contains(x.name())) {
                        verbs.add(x.name());
                    }
                }
                if (verbs.isEmpty()) {
                    problems.error(e.key().pos(), "kubectl in step '" + id + "' needs one verb: " + String.join(", ", KUBECTL_VERBS));
                    return null;
                }
                if (verbs.size() > 1) {
                    problems.error(m.keyPos(verbs.get(1)), "kubectl in step '" + id + "' has more than one verb ('"
                            + verbs.get(0) + "' and '" + verbs.get(1) + "'): one verb per step");
                }
                String verb = verbs.get(0);
                requireFor(m, id, verb, Set.of("patch", "delete", "export"), "name");
                requireFor(m, id, verb, Set.of("patch"), "merge");
                requireFor(m, id, verb, Set.of("export"), "to");
                onlyFor(m, id, verb, Set.of("patch"), "merge");
                onlyFor(m, id, verb, Set.of("export"), "to");
                onlyFor(m, id, verb, Set.of("export"), "strip");
                onlyFor(m, id, verb, Set.of("get"), "selector");
                onlyFor(m, id, verb, Set.of("get"), "fieldSelector");
                onlyFor(m, id, verb, Set.of("get", "patch", "delete", "export"), "name");
                YNode resource = switch (verb) {
                    case "get", "patch", "delete", "export" -> m.get(verb);
                    default -> null;
                };
                YNode manifest = verb.equals("apply") ? m.get("apply") : verb.equals("applyFile") ? m.get("applyFile") : null;
                return new Action.Kubectl(verb, resource, m.get("name"), m.get("namespace"), m.get("selector"),
                        m.get("fieldSelector"), manifest, m.get("merge"), m.get("logs"), m.get("exec"), m.get("to"),
                        m.get("strip"), string(m, "on"));
            }
            case "apicup" -> {
                return new Action.Apicup(m.get("args"), m.get("projectDir"), m.get("env"), string(m, "parse"),
                        exitCodes(m));
            }
            case "shell" -> {
                boolean hasCommand = m.has("command");
                boolean hasScript = m.has("script");
                if (hasCommand == hasScript) {
                    problems.error(e.key().pos(), "shell in step '" + id + "' needs exactly one of 'command' (argv list) or 'script'");
                }
                if (m.get("command") instanceof YSeq cs && cs.items().isEmpty()) {
                    problems.error(cs.pos(), "'command' must not be empty");
                }
                return new Action.Shell(m.get("command"), m.get("script"), m.get("on"), m.get("env"), m.get("cwd"),
                        m.get("stdin"), string(m, "parse"), exitCodes(m));
            }
            case "sftp" -> {
                List<String> ops = new ArrayList<>();
                for (String op : List.of("list", "stat", "get", "put")) {
                    if (m.has(op)) {
                        ops.add(op);
                    }
                }
                if (ops.size() != 1) {
                    problems.error(e.key().pos(), "sftp in step '" + id + "' needs exactly one of list, stat, get, put");
                    return null;
                }
                String op = ops.get(0);
                YNode path = null;
                YNode from = null;
                YNode to = null;
                if (op.equals("list") || op.equals("stat")) {
                    path = m.get(op);
                } else if (m.get(op) instanceof YMap t) {
                    from = t.get("from");
                    to = t.get("to");
                }
                return new Action.Sftp(string(m, "on"), op, path, from, to);
            }
            case "assert" -> {
                List<Expr> that = new ArrayList<>();
                YNode t = m.get("that");
                if (t instanceof YSeq seq) {
                    if (seq.items().isEmpty()) {
                        problems.error(seq.pos(), "'that' must not be empty");
                    }
                    for (YNode x : seq.items()) {
                        Expr ex = expression(x, "that");
                        if (ex != null) {
                            that.add(ex);
                        }
                    }
                } else {
                    Expr ex = expression(t, "that");
                    if (ex != null) {
                        that.add(ex);
                    }
                }
                return new Action.Assert(List.copyOf(that), m.get("message"));
            }
            case "prompt" -> {
                String type = m.get("type") instanceof YScalar ts && ts.value() instanceof String s ? s : "confirm";
                if (type.equals("choice") && !m.has("choices")) {
                    problems.error(m.keyPos("type"), "a choice prompt needs 'choices'");
                }
                if (m.has("choices") && !type.equals("choice")) {
                    problems.error(m.keyPos("choices"), "'choices' applies to type: choice only");
                }
                if (m.has("onDecline") && !type.equals("confirm")) {
                    problems.error(m.keyPos("onDecline"), "'onDecline' applies to type: confirm only");
                }
                if (type.equals("secret") && m.has("default")) {
                    problems.error(m.keyPos("default"), "a secret prompt cannot have a default");
                }
                String onDecline = string(m, "onDecline");
                return new Action.Prompt(m.get("message"), type, m.get("choices"), m.get("default"),
                        onDecline == null ? "abort" : onDecline);
            }
            case "file" -> {
                boolean write = m.has("write");
                boolean read = m.has("read");
                if (write == read) {
                    problems.error(e.key().pos(), "file in step '" + id + "' needs exactly one of 'write' or 'read'");
                    return null;
                }
                if (write && !m.has("content")) {
                    problems.error(m.keyPos("write"), "file write in step '" + id + "' needs 'content'");
                }
                if (read) {
                    for (String k : List.of("content", "format", "mode")) {
                        if (m.has(k)) {
                            problems.error(m.keyPos(k), "'" + k + "' applies to file write only");
                        }
                    }
                } else if (m.has("parse")) {
                    problems.error(m.keyPos("parse"), "'parse' applies to file read only");
                }
                String format = string(m, "format");
                if (write && format == null) {
                    YNode c = m.get("content");
                    format = c instanceof YMap || c instanceof YSeq ? "yaml" : "text";
                }
                return new Action.FileOp(write ? "write" : "read", m.get(write ? "write" : "read"), m.get("content"),
                        format, string(m, "mode"), string(m, "parse"));
            }
            default -> {
                return null;
            }
        }
    }

    private void requireFor(YMap m, String id, String verb, Set<String> verbs, String key) {
        if (verbs.contains(verb) && !m.has(key)) {
            problems.error(m.keyPos(verb), "kubectl " + verb + " in step '" + id + "' needs '" + key + "'");
        }
    }

    private void onlyFor(YMap m, String id, String verb, Set<String> verbs, String key) {
        if (!verbs.contains(verb) && m.has(key)) {
            problems.error(m.keyPos(key), "'" + key + "' does not apply to kubectl " + verb + " (step '" + id + "')");
        }
    }

    private List<Integer> exitCodes(YMap m) {
        List<Integer> out = new ArrayList<>();
        if (m.get("allowExitCodes") instanceof YSeq s) {
            for (YNode n : s.items()) {
                if (n instanceof YScalar sc && sc.value() instanceof Long l) {
                    if (l < 0 || l > 255) {
                        problems.error(n.pos(), "exit code " + l + " is out of range 0-255");
                    }
                    out.add(l.intValue());
                }
            }
        }
        return List.copyOf(out);
    }

    // ---- small typed getters ----------------------------------------------------------------

    static String string(YMap m, String key) {
        return m.get(key) instanceof YScalar s && s.value() instanceof String str ? str : null;
    }

    private static boolean bool(YMap m, String key, boolean dflt) {
        return m.get(key) instanceof YScalar s && s.value() instanceof Boolean b ? b : dflt;
    }

    private static Integer integer(YMap m, String key) {
        return m.get(key) instanceof YScalar s && s.value() instanceof Long l && l >= 0 && l <= Integer.MAX_VALUE ? (int) (long) l : null;
    }

    private Duration duration(YMap m, String key) {
        String s = string(m, key);
        if (s == null) {
            return null;
        }
        return Durations.parse(s); // a malformed duration was reported by the schema's pattern
    }
}
