package dev.runbook.lang;

import dev.runbook.expr.Expr;
import dev.runbook.expr.Template;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.Defaults;
import dev.runbook.lang.model.OnFailure;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.ParamType;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Setting;
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
 *
 * <p>Every map is read through a {@link Keys.Section}: the keys it may hold are declared once,
 * in {@link Keys}, and a test holds that list equal to the JSON Schema.
 */
public final class ModelReader {
    private final Problems problems;
    private final ActionCatalog actions;

    private ModelReader(Problems problems, ActionCatalog actions) {
        this.problems = problems;
        this.actions = actions;
    }

    /** Reads the model; each action is read by its type's descriptor in {@code actions}. */
    public static Runbook read(String file, String source, YMap root, Problems problems, ActionCatalog actions) {
        return new ModelReader(problems, actions).runbook(file, source, new Section("", root));
    }

    private Runbook runbook(String file, String source, Section root) {
        Map<String, Param> params = new LinkedHashMap<>();
        if (root.get("params") instanceof YMap pm) {
            for (YMap.Entry e : pm.entries()) {
                if (e.value() instanceof YMap spec) {
                    params.put(e.name(), param(e.name(), e.key().pos(), new Section("param", spec)));
                } else {
                    // An empty spec is a required string. Any other value was reported by the
                    // schema; the param still exists, so that reading it is not reported again.
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
        Section dm = root.section("defaults", "defaults");
        if (dm != null) {
            defaults = new Defaults(duration(dm, "timeout"), duration(dm, "interval"), count(dm, "retries"),
                    dm.string("target"), dm.get("namespace"));
        }
        List<Step> steps = steps(root.get("steps"), null);
        List<Step> onFailure = steps(root.get("onFailure"), null);
        return new Runbook(file, source, root.string("apiVersion"), root.string("name"), root.string("title"),
                root.string("description"), params, vars, targets, defaults, steps, onFailure, root.map());
    }

    // ---- params -----------------------------------------------------------------------------

    private Param param(String name, Pos pos, Section spec) {
        ParamType type = ParamType.STRING;
        String typeName = spec.string("type");
        if (typeName != null && ParamType.of(typeName) != null) {
            type = ParamType.of(typeName);
        }
        boolean secret = spec.bool("secret", false);
        String pattern = spec.string("pattern");
        if (pattern != null) {
            if (type != ParamType.STRING) {
                problems.error(spec.keyPos("pattern"), "param '" + name + "': 'pattern' applies to string params only");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException ex) {
                problems.error(spec.get("pattern").pos(), "param '" + name + "': invalid pattern: " + ex.getDescription()
                        + (ex.getIndex() >= 0 ? " near position " + (ex.getIndex() + 1) : ""));
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
                // The value itself is never repeated: it is a secret, even when misplaced.
                problems.error(spec.keyPos("default"), "secret param '" + name + "' must not have a default: a secret written in the file is no secret",
                        "pass it with --set " + name + "=... at run time");
            } else if (!(d instanceof YScalar ds && ds.value() == null)) {
                try {
                    def = ParamValues.coerceDefault(type, d.toPlain());
                    String err = ParamValues.violation(name, type, def, pattern, enumValues, secret);
                    if (err != null) {
                        problems.error(d.pos(), "default of " + err);
                    }
                } catch (IllegalArgumentException ex) {
                    if (d instanceof YScalar ds && ds.rangeProblem() != null) {
                        return new Param(name, type, null, true, false, spec.string("description"), secret, pattern,
                                List.copyOf(enumValues), pos); // reported with the range by the schema check
                    }
                    String hint = "";
                    if (type == ParamType.STRING && !spec.has("type")) {
                        String word = d.kind().replaceFirst("^an? ", "");
                        hint = d instanceof YScalar ? " (quote it, or declare type: " + word + ")" : " (declare type: " + word + ")";
                    } else if (type == ParamType.STRING && d instanceof YScalar) {
                        hint = " (quote it)";
                    }
                    problems.error(d.pos(), "default of param '" + name + "' must be " + ParamValues.article(type)
                            + ", not " + d.kind() + hint);
                }
            }
        }
        boolean required = !hasDefault;
        if (spec.get("required") instanceof YScalar r && r.value() instanceof Boolean b) {
            required = b && !hasDefault;
        }
        return new Param(name, type, def, hasDefault, required, spec.string("description"), secret, pattern,
                List.copyOf(enumValues), pos);
    }

    // ---- targets ----------------------------------------------------------------------------

    private Target target(YMap.Entry e) {
        if (!(e.value() instanceof YMap m)) {
            return null;
        }
        Section t = new Section("target", m);
        Section s = t.section("ssh", "sshTarget");
        if (s != null) {
            return new Target.Ssh(e.name(), e.key().pos(), s.get("host"), s.get("port"), s.get("user"),
                    s.get("identityFile"), s.get("password"), s.get("knownHosts"), s.get("sudo"),
                    s.get("insecureSkipHostKeyCheck"));
        }
        Section k = t.section("kubernetes", "kubernetesTarget");
        if (k != null) {
            return new Target.Kubernetes(e.name(), e.key().pos(), k.get("kubeconfig"), k.get("context"),
                    k.get("namespace"), k.string("via"));
        }
        return null;
    }

    // ---- steps ------------------------------------------------------------------------------

    List<Step> steps(YNode node, String group) {
        List<Step> out = new ArrayList<>();
        if (node instanceof YSeq seq) {
            for (YNode item : seq.items()) {
                if (item instanceof YMap m) {
                    Step s = step(new Section("step", m), group);
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
        }
        return out;
    }

    private Step step(Section m, String group) {
        String id = m.string("id");
        if (id == null) {
            return null; // the schema reported the missing or ill-typed id
        }
        List<String> given = new ArrayList<>();
        for (String a : actions.keywords()) {
            if (m.has(a)) {
                given.add(a);
            }
        }
        given.sort((a, b) -> m.keyPos(a).compareTo(m.keyPos(b)));
        Action action = null;
        if (given.isEmpty()) {
            if (!m.hasUnknownKeys()) {
                problems.error(m.keyPos("id"), "step '" + id + "' has no action: give it exactly one of "
                        + String.join(", ", actions.keywords()));
            }
        } else {
            if (given.size() > 1) {
                problems.error(m.keyPos(given.get(1)), "step '" + id + "' has more than one action ('"
                        + given.get(0) + "' and '" + given.get(1) + "'): a step does exactly one thing",
                        "split it into two steps");
            }
            action = actions.byKeyword(given.get(0)).read(new ActionReader(this, problems, id, given.get(0), m));
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
                problems.error(m.keyPos("parallel"), "'parallel' only applies to a step with forEach",
                        "forEach gives the list of items; parallel says how many of them run at once");
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
        return new Step(id, m.pos(), group, m.string("title"), m.string("doc"), List.copyOf(needs),
                expression(m.get("when"), "when"), forEach(m.get("forEach")), parallel, List.copyOf(capture),
                expression(m.get("until"), "until"), count(m, "retries"), duration(m, "interval"), duration(m, "timeout"),
                expression(m.get("unless"), "unless"), mutates, m.bool("idempotent", false), m.bool("sensitive", false),
                onFailure, action, m.map());
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
    Expr expression(YNode n, String field) {
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
            String label = field.startsWith("capture ") ? field : "'" + field + "'";
            if (Template.mayHoldTemplate(text)) {
                Template t = Template.parse(s, problems);
                if (t.isSingleHole()) {
                    return t.holes().get(0);
                }
                if (t.hasHoles()) {
                    problems.error(s.pos(), label + " is one expression: write it without text around '${{ }}'",
                            "for example: " + field.replaceFirst("^capture '([^']*)'$", "$1") + ": \"${{ a && b }}\"");
                }
                return null;
            }
            int lead = 0;
            while (lead < text.length() && Character.isWhitespace(text.charAt(lead))) {
                lead++;
            }
            if (text.isBlank()) {
                problems.error(s.pos(), label + " is empty: it needs an expression");
                return null;
            }
            return Expr.cel(text.strip(), s, lead);
        }
        return null;
    }

    /**
     * An argv list (shell {@code command}, apicup {@code args}, exec {@code command}). A plain
     * string would have to be split into words, and splitting is what a shell does badly: only a
     * string that is exactly one {@code ${{ }}} (a list computed at run time) is accepted.
     */
    void argv(YNode n, String what, String example) {
        if (n instanceof YScalar s && s.value() instanceof String text) {
            if (Template.mayHoldTemplate(text)) {
                Template t = Template.parse(s, new Problems(problems.file()));
                if (t.isSingleHole()) {
                    return;
                }
            }
            problems.error(s.pos(), "'" + what + "' is a list of arguments, not a string: each element is one argument, never split by a shell",
                    example);
        } else if (n instanceof YSeq q && q.items().isEmpty()) {
            problems.error(q.pos(), "'" + what + "' must not be empty");
        }
    }

    List<Integer> exitCodes(Section m) {
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

    /** A duration as written, or one {@code ${{ }}} of params and vars computed when they are bound. */
    private Setting<Duration> duration(Section m, String key) {
        Expr e = computed(m, key);
        if (e != null) {
            return Setting.computed(e);
        }
        return Setting.of(Durations.parse(m.string(key))); // a malformed duration was reported by the schema's pattern
    }

    /** A count as written, or one {@code ${{ }}} of params and vars computed when they are bound. */
    private Setting<Integer> count(Section m, String key) {
        Expr e = computed(m, key);
        if (e != null) {
            return Setting.computed(e);
        }
        return Setting.of(m.integer(key));
    }

    /** The expression of a setting written as exactly one {@code ${{ }}}, else null. */
    private Expr computed(Section m, String key) {
        if (m.get(key) instanceof YScalar s && s.value() instanceof String text && Template.mayHoldTemplate(text)) {
            Template t = Template.parse(s, problems);
            if (t.isSingleHole()) {
                return t.holes().get(0);
            }
        }
        return null;
    }
}
