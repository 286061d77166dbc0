package dev.runbook.lang;

import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.model.ParamType;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the values given on the command line ({@code --set NAME=VALUE}, {@code --params FILE})
 * to a runbook's declared params: coerced to the declared type, checked against pattern and
 * enum, defaults filled in. Every problem is reported at once.
 */
public final class ParamBinder {
    private ParamBinder() {
    }

    public static Map<String, Object> bind(Runbook rb, List<String> sets, Path paramsFile) {
        return bind(rb, null, sets, paramsFile);
    }

    /**
     * Binds the params of a resumed run: {@code recorded} are the non-secret values the run
     * began with, which a resume keeps; {@code --set} and {@code --params} give the secret
     * params again (they are never recorded) and params that the runbook declares now but the
     * run did not record. Giving a recorded param another value is an error: the steps done
     * before were done with the old one. Missing secret params are listed together.
     */
    public static Map<String, Object> bindResumed(Runbook rb, Map<String, Object> recorded, List<String> sets,
                                                  Path paramsFile) {
        return bind(rb, recorded == null ? Map.of() : recorded, sets, paramsFile);
    }

    private static Map<String, Object> bind(Runbook rb, Map<String, Object> recorded, List<String> sets, Path paramsFile) {
        List<Diagnostic> problems = new ArrayList<>();
        Map<String, Object> given = new LinkedHashMap<>();
        Map<String, Pos> fromFile = new LinkedHashMap<>();
        Map<String, YNode> fileNodes = new LinkedHashMap<>();
        String fileName = paramsFile == null ? null : paramsFile.toString();
        if (paramsFile != null) {
            try {
                String text = YamlLoader.decode(fileName, SourceFiles.read(paramsFile));
                YNode n = YamlLoader.loadIfAny(fileName, text);
                if (n == null || n instanceof YScalar s && s.value() == null) {
                    // An empty params file gives no values; each param keeps its default.
                } else if (n instanceof YMap m) {
                    for (YMap.Entry e : m.entries()) {
                        given.put(e.name(), e.value().toPlain());
                        fromFile.put(e.name(), e.key().pos());
                        fileNodes.put(e.name(), e.value());
                    }
                } else {
                    problems.add(new Diagnostic(fileName, n.pos(), "a params file is a YAML map of NAME: VALUE, not " + n.kind()));
                }
            } catch (java.nio.file.NoSuchFileException e) {
                problems.add(new Diagnostic(fileName, null, "no such params file"));
            } catch (IOException e) {
                problems.add(new Diagnostic(fileName, null, Files.isDirectory(paramsFile) ? "is a directory, not a params file"
                        : e instanceof SourceFiles.Refused ? e.getMessage() : "cannot read the params file: " + SourceFiles.reason(e)));
            } catch (InvalidRunbookException e) {
                problems.addAll(e.diagnostics().stream().map(ParamBinder::aboutParams).toList());
            }
        }
        Map<String, String> fromCli = new LinkedHashMap<>();
        for (int i = 0; i < sets.size(); i++) {
            String s = sets.get(i);
            int eq = s.indexOf('=');
            if (eq <= 0) {
                // Never echoed: a secret typed without its name, or with ':' for '=', would be shown.
                problems.add(cli("--set number " + (i + 1) + " is not NAME=VALUE: it has "
                        + (eq < 0 ? "no '='" : "no name before '='")));
                continue;
            }
            String name = s.substring(0, eq);
            fromCli.put(name, s.substring(eq + 1));
            given.put(name, s.substring(eq + 1));
            fromFile.remove(name);
            fileNodes.remove(name);
        }
        if (recorded != null) {
            for (Map.Entry<String, Object> e : recorded.entrySet()) {
                Param p = rb.params().get(e.getKey());
                if (p == null || p.secret()) {
                    continue; // a param the edited runbook dropped, or one that is secret now
                }
                Object now = given.get(e.getKey());
                if (now != null && (e.getValue() == null || !sameValue(p, now, e.getValue()))) {
                    Pos at = fromFile.get(e.getKey());
                    problems.add(new Diagnostic(at != null ? fileName : null, at, "param '" + p.name() + "' was "
                            + (e.getValue() == null ? "not set" : ParamValues.show(e.getValue()))
                            + " when the run began: a resume keeps the run's params",
                            List.of("only secret params, and params the run did not have, are given again on resume")));
                    continue;
                }
                if (e.getValue() != null) {
                    given.put(e.getKey(), e.getValue());
                    fromFile.remove(e.getKey());
                }
            }
        }
        Map<String, Object> bound = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : given.entrySet()) {
            Param p = rb.params().get(e.getKey());
            Pos at = fromFile.get(e.getKey());
            String where = at != null ? fileName : null;
            if (p == null) {
                String hint = Suggest.closest(e.getKey(), rb.params().keySet());
                problems.add(new Diagnostic(where, at, "unknown param '" + e.getKey() + "'"
                        + (hint != null ? " (did you mean '" + hint + "'?)" : ""),
                        rb.params().isEmpty() ? List.of("this runbook declares no params")
                                : List.of("declared params: " + String.join(", ", rb.params().keySet()))));
                continue;
            }
            YNode node = fileNodes.get(e.getKey());
            if (node instanceof YScalar sc && sc.value() == null) {
                // 'name:' with no value in a params file: not given, so the default applies.
                e.setValue(NOT_GIVEN);
                continue;
            }
            Object raw = e.getValue();
            if (p.type() == ParamType.STRING && node instanceof YScalar sc) {
                // A string param takes the text as written: 0123 stays "0123", 1e3 stays "1e3".
                raw = sc.text();
            }
            if (node instanceof YScalar sc && sc.rangeProblem() != null) {
                problems.add(new Diagnostic(where, sc.pos(), p.secret() ? "param '" + p.name() + "': the value is out of range"
                        : sc.rangeProblem()));
                continue;
            }
            Object value;
            try {
                value = ParamValues.coerce(p.type(), raw);
            } catch (IllegalArgumentException ex) {
                String why = ex.getMessage();
                if (ex instanceof ParamValues.OutOfRange) {
                    why = p.secret() ? "the value is out of range" : why;
                    problems.add(new Diagnostic(where, at, "param '" + p.name() + "': " + why));
                } else {
                    problems.add(new Diagnostic(where, at, "param '" + p.name() + "' must be "
                            + ParamValues.article(p.type()) + (p.secret() ? "" : ", not " + ParamValues.show(e.getValue()))
                            + (why == null || p.secret() ? "" : " (" + why + ")")));
                }
                continue;
            }
            String bad = ParamValues.violation(p.name(), p.type(), value, p.pattern(), p.enumValues(), p.secret());
            if (bad != null) {
                problems.add(new Diagnostic(where, at, bad));
                continue;
            }
            bound.put(p.name(), value);
        }
        List<String> missingSecrets = new ArrayList<>();
        for (Param p : rb.params().values()) {
            if (bound.containsKey(p.name()) || (given.containsKey(p.name()) && given.get(p.name()) != NOT_GIVEN)) {
                continue;
            }
            if (p.hasDefault()) {
                bound.put(p.name(), p.defaultValue());
            } else if (p.required() && recorded != null && p.secret()) {
                missingSecrets.add(p.name());
            } else if (p.required()) {
                problems.add(cli("missing required param '" + p.name() + "'"
                        + (p.description() != null ? " (" + p.description() + ")" : ""),
                        "give it with --set " + p.name() + "=VALUE or in a --params file"));
            } else {
                bound.put(p.name(), null);
            }
        }
        if (!missingSecrets.isEmpty()) {
            problems.add(cli("secret params are never recorded, so a resume needs them again: "
                    + String.join(", ", missingSecrets),
                    "give " + (missingSecrets.size() == 1 ? "it" : "them") + " with --set NAME=VALUE or in a --params file"
                            + " (a file with mode 0600 keeps them out of the process list)"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(problems);
        }
        // In the order the runbook declares them, whatever the order they were given in.
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String name : rb.params().keySet()) {
            if (bound.containsKey(name)) {
                ordered.put(name, bound.get(name));
            }
        }
        return ordered;
    }

    private static final Object NOT_GIVEN = new Object();

    /** Whether a value given now is the recorded one, once both are coerced to the param's type. */
    private static boolean sameValue(Param p, Object given, Object recorded) {
        try {
            return java.util.Objects.equals(ParamValues.coerce(p.type(), given), ParamValues.coerce(p.type(), recorded));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The loader speaks of runbooks; in a params file, its words are about the params file. */
    private static Diagnostic aboutParams(Diagnostic d) {
        String m = d.message().replace("a runbook is a YAML map with apiVersion, name and steps", "a params file is a YAML map of NAME: VALUE");
        return m.equals(d.message()) ? d : new Diagnostic(d.file(), d.pos(), m, d.hints());
    }

    private static Diagnostic cli(String message, String... hints) {
        return new Diagnostic(null, null, message, List.of(hints));
    }
}
