package dev.runbook.expr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expressions are compiled together ({@link CelBatch}) or copied from an expression of the same
 * shape ({@link CelShapes}) for speed. Both must give exactly the tree, references, types and
 * source positions that compiling each expression alone gives, or the runtime and every
 * position-based message could differ.
 */
class CelCompileEquivalenceTest {

    /** Expressions of every syntactic form, with literals of many kinds. */
    static final List<String> CORPUS = List.of(
            "params.namespace",
            "params.backupId + '-'",
            "params.dr ? params.drProjectDir : params.projectDir",
            "size(params.registrySubsystems) > 0 ? params.registrySubsystems : [params.mgmtSubsys]",
            "result.items.map(p, p.metadata.name)",
            "result.items.map(p, p.metadata.name + ': ' + p.status.phase)",
            "result.files.filter(f, f.name.startsWith(vars.backupPrefix)).map(f, f.name)",
            "result.items.filter(j, j.metadata.name.startsWith('restore-')).map(j, j.metadata.name)",
            "size(steps['backup-files'].outputs.files) == size(steps['cassandra-pods'].outputs.names)",
            "steps['cassandra-pods'].outputs.names.filter(p, p.endsWith('-' + string(index)))[0]",
            "steps['free-space'].outputs.requiredBytes[index] <= steps['free-space'].outputs.availableBytes[index]",
            "result.items.all(c, c.status.ClusterRestoreStatus == 'completed')",
            "size(result.items) > 0 && result.items.all(p, p.status.phase == 'Running'\n"
                    + "&& has(p.status.containerStatuses) && p.status.containerStatuses.all(c, c.ready))",
            "params.outputFolders.all(d, d != '' && d != '.' && !d.startsWith('/') && !d.startsWith('-') && !d.contains('..'))",
            "result.items.exists(i, i.x == 1)",
            "result.items.exists_one(i, i.x == 2)",
            "has(result.metadata) && has(result.metadata.labels)",
            "int(result.stdout) + 1",
            "double(params.x) * 2.5 - 1e3",
            "uint(params.x) == 3u",
            "-1 < params.n && params.n < -2",
            "[1, 2, 3].map(x, x * 10)",
            "[1, 'a', 2.0, true, null]",
            "{'a': 1, 'b': [params.x, 2], params.k: {'c': null}}",
            "{'a': 1}['a'] + 2",
            "'abc'.size() + size('de')",
            "params.name.matches('^[a-z]+$')",
            "params.s.split(',').map(s, s.trim()).join(' ')",
            "params.s.lowerAscii().upperAscii().replace('a', 'b')",
            "params.s.substring(1, 3).indexOf('x') >= 0",
            "math.greatest(1, 2, params.n)",
            "math.least([params.a, 3])",
            "[3, 1, 2].sort()",
            "lists.range(3)",
            "[[1], [2, 3]].flatten()",
            "params.x in ['a', 'b']",
            "'k' in {'k': 1}",
            "dyn(params.x) == 1 || params.y != 2",
            "type(params.x) == string",
            "string(params.port) + \":\" + \"x\"",
            "b'bytes' == bytes('bytes')",
            "r'raw\\d' + '\\n' + \"tab\\t\"",
            "'''triple'''",
            "'caf\u00e9' + params.x",
            "run.dryRun ? 'rehearsal' : run.id",
            "env.HOME + '/x'",
            "item.pod + '-' + string(index)",
            "vars.a.b.c[0]['d'].e",
            "!params.dr",
            "!(params.a || params.b) && true",
            "params.n % 3 == 0 ? 'fizz' : string(params.n)",
            "params.list[params.i + 1]",
            "size(params.m.filter(k, params.m[k] > 10))",
            "params.m.map(k, params.m[k] + 1).exists(x, x > 2)",
            "[[1, 2], [3]].map(l, l.map(x, x + 1)).all(l, size(l) > 0)",
            "timestamp('2024-01-01T00:00:00Z') < timestamp(params.t)",
            "duration('1h') + duration(params.d)");

    @Test
    void compilingTogetherGivesWhatCompilingAloneGives() {
        CelBatch batch = new CelBatch(Cel.compilerForTests());
        List<CelBatch.Item> items = new ArrayList<>();
        List<CelAbstractSyntaxTree> alone = new ArrayList<>();
        for (String e : CORPUS) {
            CelValidationResult parsed = Cel.compilerForTests().parse(e, "expression");
            assertThat(parsed.hasError()).as("parse %s: %s", e, parsed.getErrorString()).isFalse();
            items.add(new CelBatch.Item(ast(parsed)));
            CelValidationResult r = Cel.compileAlone(e);
            alone.add(r.hasError() ? null : ast(r));
        }
        batch.check(items);
        for (int i = 0; i < CORPUS.size(); i++) {
            assertThat(items.get(i).checked).as(CORPUS.get(i)).isEqualTo(alone.get(i));
        }
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < CORPUS.size(); i++) {
            if (alone.get(i) == null) {
                bad.add(CORPUS.get(i));
            }
        }
        assertThat(bad).as("expressions of the corpus that do not compile").isEmpty();
    }

    @Test
    void chunksWithBadExpressionsStillCheckTheGoodOnes() {
        CelBatch batch = new CelBatch(Cel.compilerForTests());
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            texts.add(i % 17 == 5 ? "nosuch.name + " + i : i % 23 == 7 ? "size(1, 2, " + i + ")" : "params.p" + i + " + 'x'");
        }
        List<CelBatch.Item> items = new ArrayList<>();
        for (String t : texts) {
            items.add(new CelBatch.Item(ast(Cel.compilerForTests().parse(t, "expression"))));
        }
        batch.check(items);
        for (int i = 0; i < texts.size(); i++) {
            CelValidationResult alone = Cel.compileAlone(texts.get(i));
            if (alone.hasError()) {
                assertThat(items.get(i).checked).as(texts.get(i)).isNull();
            } else {
                assertThat(items.get(i).checked).as(texts.get(i)).isEqualTo(ast(alone));
            }
        }
    }

    @Test
    void copiesOfTheSameShapeEqualRealCompiles() {
        String[][] families = {
            {"size(steps['files-1'].outputs.files) == size(steps['pods-1'].outputs.names)",
                "size(steps['files-1234'].outputs.files) == size(steps['p'].outputs.names)",
                "size(steps[''].outputs.files) == size(steps['pods-99999'].outputs.names)"},
            {"!params.dr || 1 > 0", "!params.dr || 12345 > 0", "!params.dr || 0 > 0"},
            {"steps['pods-1'].outputs.names.join(', ')", "steps['pods-777'].outputs.names.join('; ')",
                "steps[\"x\"].outputs.names.join(\"\")"},
            {"result.items.map(p, p.metadata.name + '-1')", "result.items.map(p, p.metadata.name + '-long-suffix')"},
            {"params.l.exists(x, x == 'a') && params.n > 3", "params.l.exists(x, x == 'bbbb') && params.n > 30000"},
            {"{'a': 1, 'b': 'c'}[params.k]", "{'aaa': 22, 'b': 'cc'}[params.k]"},
            {"[1, 2, 'x'].size() == 3", "[10, 200, 'xyz'].size() == 3000"},
            {"params.s.substring(1, 3) + 'x'\n  + 'y'", "params.s.substring(10, 300) + 'xx'\n  + 'yyy'"},
            {"item + 1", "item + 100"},
            {"has(result.a) ? result.items.all(c, c.s == 'ok') : size('no') > 1", "has(result.a) ? result.items.all(c, c.s == 'yes') : size('n') > 10"},
        };
        for (String[] family : families) {
            String first = family[0];
            CelShapes.Shape firstShape = CelShapes.of(first);
            assertThat(firstShape).as(first).isNotNull();
            CelAbstractSyntaxTree template = ast(Cel.compileAlone(first));
            for (String other : family) {
                CelShapes.Shape shape = CelShapes.of(other);
                assertThat(shape).as(other).isNotNull();
                assertThat(shape.key()).as(other).isEqualTo(firstShape.key());
                CelAbstractSyntaxTree copy = CelShapes.derive(template, first, firstShape, other, shape);
                assertThat(copy).as("copy of %s", other).isNotNull();
                assertThat(copy).as(other).isEqualTo(ast(Cel.compileAlone(other)));
            }
        }
    }

    @Test
    void literalFormsThatCannotBeCopiedExactlyAreLeftToRealCompiles() {
        for (String e : List.of("x + 1.5", "x + .5", "x == 1u", "x == 0x1F", "x + 1e3", "x == 007", "'a\\'b' + x",
                "r'a' + x", "b'a' + x", "'''a''' + x", "'caf\u00e9' + x", "'unclosed + x")) {
            assertThat(CelShapes.of(e)).as(e).isNull();
        }
        // A negative number is one constant at the minus sign: the literal token is not a
        // constant of its own, so no copy is made and the value cannot be carried over wrongly.
        String a = "params.n > -1";
        String b = "params.n > -2";
        assertThat(CelShapes.of(a).key()).isEqualTo(CelShapes.of(b).key());
        assertThat(CelShapes.derive(ast(Cel.compileAlone(a)), a, CelShapes.of(a), b, CelShapes.of(b))).isNull();
    }

    @Test
    void precompiledExpressionsEqualThoseCompiledAlone() {
        List<String> texts = new ArrayList<>(CORPUS);
        for (int i = 0; i < 300; i++) {
            texts.add("size(steps['files-" + i + "'].outputs.files) == size(steps['pods-" + i + "'].outputs.names)");
            texts.add("steps['pods-" + i + "'].outputs.names.join(', ') + '" + "x".repeat(i % 7) + "'");
            texts.add("params.p" + (i % 50) + " + " + i);
        }
        texts.add("unknown.name + 1");
        texts.add("size(");
        CompiledExpressions compiled = new CompiledExpressions();
        compiled.precompile(texts);
        for (String t : texts) {
            Expr e = Expr.cel(t, null, 0);
            List<Cel.Issue> issues = compiled.compile(e);
            CelValidationResult alone = Cel.compileAlone(t);
            if (alone.hasError()) {
                assertThat(issues).as(t).isNotEmpty();
                assertThat(e.ast()).as(t).isNull();
            } else {
                assertThat(issues).as(t).isEmpty();
                assertThat(e.ast()).as(t).isEqualTo(ast(alone));
            }
        }
    }

    private static CelAbstractSyntaxTree ast(CelValidationResult r) {
        try {
            return r.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw new AssertionError(e);
        }
    }
}
