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

    // The environment is built once per process and shared: it depends on nothing but the
    // constant declarations above, so it cannot grow. What compiling a runbook's expressions
    // produces is kept by that runbook, in its CompiledExpressions, never here.
    private static volatile CelCompiler compiler;
    private static volatile CelBatch batch;
    private static volatile CelRuntime runtime;
    private static volatile Declared declared;
    private Cel() {
    }

    /**
     * An issue in an expression: offset into the expression text, a readable message, and what
     * kind of issue it is, told by CEL's tree and declarations rather than by its wording.
     *
     * @param name for {@link Kind#UNKNOWN_NAME} and {@link Kind#UNKNOWN_FUNCTION}, the name
     *             that is not declared; else null
     */
    public record Issue(int offset, String message, Kind kind, String name) {
        public Issue(int offset, String message) {
            this(offset, message, Kind.OTHER, null);
        }
    }

    /** Which issue: a name or function the environment does not declare, or anything else. */
    public enum Kind {
        UNKNOWN_NAME, UNKNOWN_FUNCTION, OTHER
    }

    static CelCompiler compiler() {
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

    /**
     * Builds the compiler (and with {@code evaluate} the runtime) and runs them once, so that
     * CEL's classes are loaded and initialised before the first real expression. Called on a
     * background thread while the CLI starts; keeps nothing it compiles.
     */
    public static void warmUp(boolean evaluate) {
        CelValidationResult r = compiler().compile(
                "size(steps['a'].outputs.b.filter(x, x.startsWith('c')).map(x, x + '-' + string(index))) > 0"
                        + " && params.p in [1, 2.0, 'd'] ? {'e': vars.f}['e'] : has(result.g)", "expression");
        batch();
        if (evaluate && !r.hasError()) {
            try {
                runtime().createProgram(r.getAst()).eval(Map.of("params", Map.of("p", 1L), "steps", Map.of(),
                        "vars", Map.of("f", "v"), "result", Map.of(), "index", 0L));
            } catch (CelEvaluationException | CelValidationException e) {
                // only warming up
            }
        }
    }

    /**
     * Parses and type-checks {@code expr} on its own unless it already carries a compilation
     * (from its runbook's {@link CompiledExpressions}); the result stays with {@code expr}.
     */
    public static List<Issue> compile(Expr expr) {
        if (expr.compiled() == null) {
            expr.setCompiled(compileText(expr.source()));
        }
        return expr.compiled().issues();
    }

    /** For tests: {@code source} compiled on its own, with no cache and no sharing. */
    static CelValidationResult compileAlone(String source) {
        return compiler().compile(source, "expression");
    }

    /** For tests: the compiler every expression is compiled with. */
    static CelCompiler compilerForTests() {
        return compiler();
    }

    /** One text compiled on its own: its checked tree, or its issues. */
    static Compilation compileText(String source) {
        CelValidationResult r = compiler().compile(source, "expression");
        if (r.hasError()) {
            return new Compilation(null, issues(r, source));
        }
        try {
            return Compilation.of(r.getAst());
        } catch (CelValidationException e) {
            return new Compilation(null, List.of(new Issue(0, readable(e.getMessage()))));
        }
    }

    static CelRuntime.Program newProgram(CelAbstractSyntaxTree ast) throws CelEvaluationException {
        return runtime().createProgram(ast);
    }

    static CelBatch batch() {
        if (batch == null) {
            synchronized (Cel.class) {
                if (batch == null) {
                    batch = new CelBatch(compiler());
                }
            }
        }
        return batch;
    }

    /** Issues with their offsets inside {@code source}, from CEL's 1-based lines and 0-based columns. */
    private static List<Issue> issues(CelValidationResult r, String source) {
        List<Integer> lineStarts = new ArrayList<>(List.of(0));
        for (int i = 0; i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                lineStarts.add(i + 1);
            }
        }
        Map<Long, CelExpr> nodes = parsedNodes(source);
        List<Issue> out = new ArrayList<>();
        for (CelIssue i : r.getErrors()) {
            int line = i.getSourceLocation().getLine();
            int col = Math.max(0, i.getSourceLocation().getColumn());
            int at = line >= 1 && line <= lineStarts.size() ? lineStarts.get(line - 1) + col : col;
            out.add(classify(at, readable(i.getMessage()), nodes.get(i.getExprId())));
        }
        return out;
    }

    /**
     * What the issue is about, from the node CEL reports it on: an identifier or a message
     * name the environment does not declare is an unknown name, a call of a function it does
     * not declare an unknown function. Anything else (a syntax error, no matching overload) is
     * left as CEL described it.
     */
    private static Issue classify(int at, String message, CelExpr node) {
        if (node != null) {
            Declared d = declared();
            switch (node.getKind()) {
                case IDENT -> {
                    if (!d.idents().contains(node.ident().name())) {
                        return new Issue(at, message, Kind.UNKNOWN_NAME, node.ident().name());
                    }
                }
                case STRUCT -> {
                    if (!d.idents().contains(node.struct().messageName())) {
                        return new Issue(at, message, Kind.UNKNOWN_NAME, node.struct().messageName());
                    }
                }
                case CALL -> {
                    if (!d.functions().contains(node.call().function())) {
                        return new Issue(at, message, Kind.UNKNOWN_FUNCTION, node.call().function());
                    }
                }
                default -> {
                }
            }
        }
        return new Issue(at, message);
    }

    /** Every node of {@code source}'s parsed tree by id (the ids CEL's issues name), or none when it does not parse. */
    private static Map<Long, CelExpr> parsedNodes(String source) {
        CelValidationResult parsed = compiler().parse(source, "expression");
        if (parsed.hasError()) {
            return Map.of();
        }
        try {
            Map<Long, CelExpr> out = new java.util.HashMap<>();
            dev.cel.common.navigation.CelNavigableAst.fromAst(parsed.getAst()).getRoot().allNodes()
                    .forEach(n -> out.put(n.id(), n.expr()));
            return out;
        } catch (CelValidationException e) {
            return Map.of();
        }
    }

    /** The names of the identifiers and functions the environment declares. */
    private record Declared(Set<String> idents, Set<String> functions) {
    }

    /**
     * Read once from the compiler's declarations (the same for the life of the process). CEL
     * offers them only through its environment visitor.
     */
    private static Declared declared() {
        if (declared == null) {
            synchronized (Cel.class) {
                if (declared == null) {
                    Set<String> idents = new java.util.HashSet<>();
                    Set<String> functions = new java.util.HashSet<>();
                    ((dev.cel.common.internal.EnvVisitable) compiler()).accept(new dev.cel.common.internal.EnvVisitor() {
                        @Override
                        public void visitDecl(String name, List<dev.cel.expr.Decl> decls) {
                            for (dev.cel.expr.Decl d : decls) {
                                (d.hasFunction() ? functions : idents).add(name);
                            }
                        }

                        @Override
                        public void visitMacro(dev.cel.parser.CelMacro macro) {
                            functions.add(macro.getFunction());
                        }
                    });
                    declared = new Declared(Set.copyOf(idents), Set.copyOf(functions));
                }
            }
        }
        return declared;
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
        List<Issue> issues = compile(expr);
        if (!issues.isEmpty()) {
            throw new EvalException("invalid expression: " + issues.get(0).message());
        }
        Compilation c = expr.compiled();
        try {
            CelRuntime.Program program = c.program();
            // An expression can only read the names it refers to: only those are converted.
            Set<String> reads = c.reads();
            Map<String, Object> vars = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : scope.entrySet()) {
                if (reads.contains(e.getKey()) || reads.contains(Compilation.ALL)) {
                    vars.put(e.getKey(), toCel(e.getValue()));
                }
            }
            return fromCel(program.eval(vars));
        } catch (CelEvaluationException e) {
            String m = evalMessage(e.getMessage());
            if (e.getCause() instanceof dev.cel.common.exceptions.CelAttributeNotFoundException) {
                // "key 'x' is not present in map." or, for an index expression, just "x"
                Matcher k = MISSING_KEY.matcher(m);
                throw new EvalException("no key '" + (k.matches() ? k.group(1) : m) + "'", true);
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
