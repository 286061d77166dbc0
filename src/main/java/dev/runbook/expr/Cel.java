package dev.runbook.expr;

import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelSource;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CEL environment of runbook expressions: the standard library and macros, the string
 * extensions ({@code trim}, {@code split}, {@code join}, ...), math and lists extensions, and
 * the top-level names below declared as dynamic values. Nothing else is registered, so an
 * expression can read the values it is given and can never call into the host.
 */
public final class Cel {
    /** Every name an expression may start with. */
    public static final Set<String> ROOTS = Set.of("params", "vars", "steps", "result", "item", "index", "run", "env");

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(1_000_000)
            .maxExpressionCodePointSize(100_000)
            .build();

    private static volatile CelCompiler compiler;
    private static volatile CelRuntime runtime;
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    private Cel() {
    }

    /** An issue in an expression: offset into the expression text and a readable message. */
    public record Issue(int offset, String message) {
    }

    private static CelCompiler compiler() {
        if (compiler == null) {
            synchronized (Cel.class) {
                if (compiler == null) {
                    var b = CelCompilerFactory.standardCelCompilerBuilder()
                            .setOptions(OPTIONS)
                            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                            .addLibraries(CelExtensions.strings(), CelExtensions.math(OPTIONS), CelExtensions.lists());
                    for (String root : ROOTS) {
                        b.addVar(root, SimpleType.DYN);
                    }
                    compiler = b.build();
                }
            }
        }
        return compiler;
    }

    private static CelRuntime runtime() {
        if (runtime == null) {
            synchronized (Cel.class) {
                if (runtime == null) {
                    runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                            .setOptions(OPTIONS)
                            .addLibraries(CelExtensions.strings(), CelExtensions.math(OPTIONS), CelExtensions.lists())
                            .build();
                }
            }
        }
        return runtime;
    }

    /** Parses and type-checks; on success the AST is stored in {@code expr}. */
    public static List<Issue> compile(Expr expr) {
        CelValidationResult r = compiler().compile(expr.source(), "expression");
        if (r.hasError()) {
            return issues(r, expr.source(), 0);
        }
        try {
            expr.setAst(r.getAst());
        } catch (CelValidationException e) {
            return List.of(new Issue(0, readable(e.getMessage())));
        }
        return List.of();
    }

    /**
     * Parses only; on success the parsed AST is stored in {@code expr}. Parsing is cheap; use
     * {@link #check(List)} to type-check many parsed expressions at once.
     */
    public static List<Issue> parse(Expr expr) {
        CelValidationResult r = compiler().parse(expr.source(), "expression");
        if (r.hasError()) {
            return issues(r, expr.source(), 0);
        }
        try {
            expr.setAst(r.getAst());
        } catch (CelValidationException e) {
            return List.of(new Issue(0, readable(e.getMessage())));
        }
        return List.of();
    }

    /**
     * Type-checks parsed expressions in one pass and returns the issues of each one that has
     * any. CEL-java builds its whole standard environment for every check (about half a
     * millisecond); a runbook with thousands of expressions would spend seconds on that, so the
     * expressions are checked as the elements of one list, each on its own lines, and every
     * issue is mapped back to its expression and offset. Expressions keep their parsed ASTs: the
     * runtime evaluates those with the same results.
     */
    public static Map<Expr, List<Issue>> check(List<Expr> exprs) {
        Map<Expr, List<Issue>> out = new LinkedHashMap<>();
        // In chunks that stay well below the expression size limit of OPTIONS.
        List<Expr> chunk = new ArrayList<>();
        int size = 0;
        for (Expr e : exprs) {
            if (!chunk.isEmpty() && size + e.source().length() > CHUNK) {
                out.putAll(checkChunk(chunk));
                chunk = new ArrayList<>();
                size = 0;
            }
            chunk.add(e);
            size += e.source().length() + 3;
        }
        if (!chunk.isEmpty()) {
            out.putAll(checkChunk(chunk));
        }
        return out;
    }

    private static final int CHUNK = 2_000;

    private static Map<Expr, List<Issue>> checkChunk(List<Expr> exprs) {
        Map<Expr, List<Issue>> out = new LinkedHashMap<>();
        // [dyn(\nE1\n), dyn(\nE2\n), ...]: dyn() keeps the elements from unifying their types
        // with each other, and the line breaks end a '//' comment that an expression may hold.
        StringBuilder sb = new StringBuilder("[");
        int[] starts = new int[exprs.size()];
        for (int i = 0; i < exprs.size(); i++) {
            sb.append(i > 0 ? ", dyn(\n" : "dyn(\n");
            starts[i] = sb.length();
            sb.append(exprs.get(i).source()).append("\n)");
        }
        sb.append("]");
        String all = sb.toString();
        CelValidationResult r = compiler().compile(all, "expression");
        if (!r.hasError()) {
            try {
                split(r.getAst(), exprs, starts);
                return out;
            } catch (RuntimeException | CelValidationException e) {
                // Not the shape expected: check one by one, which also stores each checked AST.
                for (Expr x : exprs) {
                    List<Issue> own = compile(x);
                    if (!own.isEmpty()) {
                        out.put(x, own);
                    }
                }
                return out;
            }
        }
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < all.length(); i++) {
            if (all.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        for (CelIssue issue : r.getErrors()) {
            int line = issue.getSourceLocation().getLine();
            int col = Math.max(0, issue.getSourceLocation().getColumn());
            int at = line >= 1 && line <= lineStarts.size() ? lineStarts.get(line - 1) + col : -1;
            int idx = -1;
            for (int i = 0; i < starts.length && starts[i] <= at; i++) {
                idx = i;
            }
            if (idx < 0 || at > starts[idx] + exprs.get(idx).source().length()) {
                // Not inside any one expression (cannot happen for expressions that parsed
                // alone): check them one by one instead.
                for (Expr e : exprs) {
                    List<Issue> own = checkOne(e);
                    if (!own.isEmpty()) {
                        out.put(e, own);
                    }
                }
                return out;
            }
            out.computeIfAbsent(exprs.get(idx), k -> new ArrayList<>()).add(new Issue(at - starts[idx], readable(issue.getMessage())));
        }
        return out;
    }

    /**
     * Gives every expression its own checked AST, cut out of the checked list: its subtree, the
     * positions inside it made relative to its own text, and the list's type and reference maps
     * (keyed by node ids, which are unique across the list).
     */
    private static void split(CelAbstractSyntaxTree all, List<Expr> exprs, int[] starts) throws CelValidationException {
        List<CelExpr> elements = all.getExpr().list().elements();
        if (elements.size() != exprs.size()) {
            throw new IllegalStateException("unexpected shape");
        }
        List<Map<Long, Integer>> positions = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            positions.add(new LinkedHashMap<>());
        }
        for (Map.Entry<Long, Integer> p : all.getSource().getPositionsMap().entrySet()) {
            int at = p.getValue();
            int idx = java.util.Arrays.binarySearch(starts, at);
            idx = idx >= 0 ? idx : -idx - 2;
            if (idx >= 0 && at <= starts[idx] + exprs.get(idx).source().length()) {
                positions.get(idx).put(p.getKey(), at - starts[idx]);
            }
        }
        for (int i = 0; i < exprs.size(); i++) {
            CelExpr inner = elements.get(i).call().args().get(0);
            CelSource source = CelSource.newBuilder(exprs.get(i).source()).setDescription("expression")
                    .addPositionsMap(positions.get(i)).build();
            exprs.get(i).setAst(CelAbstractSyntaxTree.newCheckedAst(inner, source, all.getReferenceMap(), all.getTypeMap()));
        }
    }

    private static List<Issue> checkOne(Expr e) {
        CelValidationResult r = compiler().compile(e.source(), "expression");
        return r.hasError() ? issues(r, e.source(), 0) : List.of();
    }

    /** Issues with their offsets inside {@code source}, from CEL's 1-based lines and 0-based columns. */
    private static List<Issue> issues(CelValidationResult r, String source, int base) {
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        List<Issue> out = new ArrayList<>();
        for (CelIssue i : r.getErrors()) {
            int line = i.getSourceLocation().getLine();
            int col = Math.max(0, i.getSourceLocation().getColumn());
            int at = line >= 1 && line <= lineStarts.size() ? lineStarts.get(line - 1) + col : col;
            out.add(new Issue(base + at, readable(i.getMessage())));
        }
        return out;
    }

    private static String readable(String m) {
        String s = m.replace("ERROR: expression:", "").trim();
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        s = s.replaceFirst("^\\d+:\\d+: ", "");
        s = s.replace(" (in container '')", "");
        return plainWords(s);
    }

    private static final Pattern MISSING_KEY = Pattern.compile("key '(.*)' is not present in map\\.?");
    private static final Pattern ENDS_EARLY = Pattern.compile("mismatched input '<EOF>' expecting .*");
    private static final Pattern UNEXPECTED = Pattern.compile("(?:mismatched|extraneous) input '(.*)' expecting .*");
    private static final Pattern MISSING = Pattern.compile("missing '(.*)' at '(.*)'");
    private static final Pattern NO_VIABLE = Pattern.compile("no viable alternative at input '(.*)'");
    private static final Pattern BAD_CHAR = Pattern.compile("token recognition error at: '(.*)'");
    private static final Pattern NO_OVERLOAD = Pattern.compile("found no matching overload for '(.*?)' applied to '(.*?)'(?: \\(candidates: .*\\))?");

    /**
     * The parser's and type checker's messages in the words of someone who writes runbooks:
     * no grammar token names, no internal operator names.
     */
    static String plainWords(String raw) {
        String s = raw.replace("\n", "\\n");
        Matcher m;
        if (ENDS_EARLY.matcher(s).matches()) {
            return "syntax error: the expression ends where more was expected";
        }
        if ((m = UNEXPECTED.matcher(s)).matches()) {
            return "syntax error: unexpected '" + m.group(1) + "'";
        }
        if ((m = MISSING.matcher(s)).matches()) {
            return "syntax error: missing '" + m.group(1) + "'" + (m.group(2).equals("<EOF>") ? " at the end" : " before '" + m.group(2) + "'");
        }
        if ((m = NO_VIABLE.matcher(s)).matches()) {
            return "syntax error: cannot make sense of '" + m.group(1) + "'";
        }
        if ((m = BAD_CHAR.matcher(s)).matches()) {
            return "syntax error: unexpected character '" + m.group(1) + "'";
        }
        if ((m = NO_OVERLOAD.matcher(s)).matches()) {
            return "'" + operator(m.group(1)) + "' cannot be applied to " + m.group(2);
        }
        return s;
    }

    private static String operator(String name) {
        return switch (name) {
            case "_[_]" -> "[]";
            case "_?_:_" -> "? :";
            case "@in" -> "in";
            case "!_" -> "!";
            case "-_" -> "-";
            default -> name.length() > 2 && name.startsWith("_") && name.endsWith("_") ? name.substring(1, name.length() - 1) : name;
        };
    }

    /** Evaluates an already checked expression over {@code scope} (root name to value). */
    public static Object eval(Expr expr, Map<String, ?> scope) throws EvalException {
        CelAbstractSyntaxTree ast = expr.ast();
        if (ast == null || !ast.isChecked()) {
            List<Issue> issues = compile(expr);
            if (!issues.isEmpty()) {
                throw new EvalException("invalid expression: " + issues.get(0).message());
            }
            ast = expr.ast();
        }
        try {
            CelAbstractSyntaxTree checked = ast;
            CelRuntime.Program program = PROGRAMS.computeIfAbsent(expr.source(), k -> {
                try {
                    return runtime().createProgram(checked);
                } catch (CelEvaluationException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            Map<String, Object> vars = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : scope.entrySet()) {
                vars.put(e.getKey(), toCel(e.getValue()));
            }
            return fromCel(program.eval(vars));
        } catch (CelEvaluationException e) {
            String m = evalMessage(e.getMessage());
            if (e.getCause() instanceof dev.cel.common.exceptions.CelAttributeNotFoundException) {
                // "key 'x' is not present in map." or, for an index expression, just "x"
                Matcher k = MISSING_KEY.matcher(m);
                m = "no key '" + (k.matches() ? k.group(1) : m) + "'";
            } else if (m.startsWith("For input string: ")) {
                m = "not a number: " + m.substring("For input string: ".length());
            }
            throw new EvalException(m);
        } catch (RuntimeException e) {
            // Anything else the runtime throws is still a failed evaluation, never a crash.
            throw new EvalException(evalMessage(e.getMessage()));
        }
    }

    private static String evalMessage(String m) {
        if (m == null) {
            return "evaluation failed";
        }
        // "evaluation error at expression:9: / by zero": the offset means nothing to the reader.
        String s = m.replace("evaluation error: ", "").replaceFirst("^evaluation error at [^:]*(:\\d+)*:\\s*", "")
                .replaceFirst("^\\d+: ", "");
        int nl = s.indexOf('\n');
        s = nl >= 0 ? s.substring(0, nl) : s;
        return switch (s) {
            case "/ by zero" -> "division by zero";
            case "% by zero" -> "modulus by zero";
            default -> s;
        };
    }

    /** Our plain values to what CEL's runtime expects: longs, doubles, NullValue. */
    public static Object toCel(Object v) {
        if (v == null) {
            return NullValue.NULL_VALUE;
        } else if (v instanceof Integer i) {
            return i.longValue();
        } else if (v instanceof Short s) {
            return s.longValue();
        } else if (v instanceof Float f) {
            return f.doubleValue();
        } else if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : b.doubleValue();
        } else if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(toCel(e.getKey()), toCel(e.getValue()));
            }
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(toCel(o));
            }
            return out;
        }
        return v;
    }

    /** CEL results back to plain values: null for NullValue, mutable-order-preserving maps and lists. */
    public static Object fromCel(Object v) {
        if (v == null || v instanceof NullValue) {
            return null;
        } else if (v instanceof Optional<?> o) {
            return o.map(Cel::fromCel).orElse(null);
        } else if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(fromCel(e.getKey())), fromCel(e.getValue()));
            }
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(fromCel(o));
            }
            return out;
        } else if (v instanceof TypeType t) {
            // type(x) gives a type value; its name is all a runbook can use (e.g. 'int', 'map').
            return t.parameters().isEmpty() ? t.name() : t.parameters().get(0).name();
        } else if (v instanceof CelType t) {
            return t.name();
        } else if (v instanceof com.google.common.primitives.UnsignedLong u) {
            return u.compareTo(com.google.common.primitives.UnsignedLong.valueOf(Long.MAX_VALUE)) <= 0
                    ? (Object) u.longValue() : (Object) u.bigIntegerValue();
        } else if (v instanceof dev.cel.common.values.CelByteString b) {
            return b.toStringUtf8();
        } else if (v instanceof com.google.protobuf.ByteString b) {
            return b.toStringUtf8();
        }
        return v;
    }
}
