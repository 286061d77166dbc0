package dev.runbook.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.lang.Problems;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import dev.runbook.lang.yaml.YamlLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Templates and CEL expressions evaluated the way a run evaluates them. */
class ExpressionsTest {

    /** A YAML value parsed from text, as a runbook would hold it. */
    static YNode yaml(String text) {
        return ((YMap) YamlLoader.load("t.yaml", "v: " + text + "\n")).get("v");
    }

    /** A double-quoted YAML string holding {@code s}. */
    static YNode str(String s) {
        return yaml("\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    }

    static Map<String, Object> scope() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("names", List.of(" Alpha ", "beta"));
        params.put("labels", Map.of("app", "cassandra"));
        params.put("n", 3L);
        params.put("ratio", 0.5);
        params.put("dr", false);
        params.put("none", null);
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("files", List.of("1-0-2.tar.gz", "1-1-2.tar.gz"));
        Map<String, Object> steps = new LinkedHashMap<>();
        steps.put("backup-files", Map.of("outputs", outputs, "status", "succeeded"));
        Map<String, Object> scope = new LinkedHashMap<>();
        scope.put("params", params);
        scope.put("vars", Map.of("prefix", "1-"));
        scope.put("steps", steps);
        scope.put("run", Map.of("id", "r1", "dryRun", false));
        scope.put("env", Map.of("HOME", "/home/sre"));
        return scope;
    }

    static Object render(String template) throws EvalException {
        return Renderer.render(str(template), scope());
    }

    @Test
    void aStringThatIsOneTemplateKeepsTheValuesType() throws EvalException {
        assertThat(render("${{ params.names }}")).isEqualTo(List.of(" Alpha ", "beta"));
        assertThat(render("${{ params.labels }}")).isEqualTo(Map.of("app", "cassandra"));
        assertThat(render("${{ params.n + 1 }}")).isEqualTo(4L);
        assertThat(render("${{ params.ratio * 2.0 }}")).isEqualTo(1.0);
        assertThat(render("${{ params.n > 2 }}")).isEqualTo(true);
        assertThat(render("${{ params.none }}")).isNull();
        assertThat(render("  ${{ [1, 2] }}  ")).as("blanks around one template").isEqualTo(List.of(1L, 2L));
    }

    @Test
    void aMixedStringFormatsEachValue() throws EvalException {
        assertThat(render("names=${{ params.names }} labels=${{ params.labels }}"))
                .isEqualTo("names=[\" Alpha \",\"beta\"] labels={\"app\":\"cassandra\"}");
        assertThat(render("n=${{ params.n }} half=${{ params.ratio }} whole=${{ 2.0 }} dr=${{ params.dr }} none=[${{ params.none }}]"))
                .isEqualTo("n=3 half=0.5 whole=2 dr=false none=[]");
        assertThat(render("no template here")).isEqualTo("no template here");
    }

    @Test
    void closingBracesInsideStringLiteralsAndMapLiteralsDoNotEndTheTemplate() throws EvalException {
        assertThat(render("${{ '}}' }}")).isEqualTo("}}");
        assertThat(render("a ${{ \"x}}y\" }} b")).isEqualTo("a x}}y b");
        assertThat(render("${{ {'a': {'b': 1}} }}")).isEqualTo(Map.of("a", Map.of("b", 1L)));
        assertThat(render("${{ {'k': '}}'}.k }}!")).isEqualTo("}}!");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "[1, 2, 3].all(x, x > 0)                                  | true",
        "[1, 2, 3].exists(x, x > 2)                               | true",
        "[1, 2, 3].exists_one(x, x > 2)                           | true",
        "[1, 2, 3].map(x, x * 2) == [2, 4, 6]                     | true",
        "[1, 2, 3].filter(x, x % 2 == 1) == [1, 3]                | true",
        "has(params.labels.app) && !has(params.labels.zone)       | true",
        "size(params.names) == 2 && size('abc') == 3              | true",
        "params.names.map(n, n.trim().lowerAscii()) == ['alpha', 'beta'] | true",
        "'a,b,c'.split(',') == ['a', 'b', 'c']                    | true",
        "['a', 'b'].join('-') == 'a-b'                            | true",
        "'Cassandra'.upperAscii() == 'CASSANDRA'                  | true",
        "'1-0-2.tar.gz'.replace('.tar.gz', '') == '1-0-2'         | true",
        "'cassandra-2'.substring(10) == '2'                       | true",
        "'cassandra-2'.indexOf('-') == 9                          | true",
        "'abc'.startsWith('a') && 'abc'.endsWith('c') && 'abc'.contains('b') | true",
        "'backup-123'.matches('^backup-[0-9]+$')                  | true",
        "2 < 2.5 && params.n == 3.0 && params.n < 3.5            | true",
        "int('42') + 1 == 43 && string(7) == '7'                  | true",
        "math.greatest(1, 5, 3) == 5                              | true",
        "type(1) == int && type(params) == map                    | true",
    })
    void standardMacrosAndStringExtensionsWork(String expr, boolean expected) throws EvalException {
        assertThat(render("${{ " + expr + " }}")).isEqualTo(expected);
    }

    @Test
    void aStepIdWithADashIsReadWithBrackets() throws EvalException {
        assertThat(render("${{ steps['backup-files'].outputs.files }}")).isEqualTo(List.of("1-0-2.tar.gz", "1-1-2.tar.gz"));
        assertThat(render("${{ steps['backup-files'].outputs.files.filter(f, f.startsWith(vars.prefix + '1')) }}"))
                .isEqualTo(List.of("1-1-2.tar.gz"));
        assertThat(render("${{ steps['backup-files'].status }}")).isEqualTo("succeeded");
    }

    @Test
    void celValuesComeBackAsPlainValues() throws EvalException {
        assertThat(render("${{ b'abc' }}")).isEqualTo("abc");
        assertThat(render("${{ 18446744073709551615u }}")).isEqualTo(new java.math.BigInteger("18446744073709551615"));
        assertThat(render("${{ 3u }}")).isEqualTo(3L);
        assertThat(render("wait ${{ duration('1h30m') }}")).isEqualTo("wait 1h30m");
        assertThat(render("${{ timestamp('2020-01-01T00:00:00Z') + duration('1h') }}").toString()).isEqualTo("2020-01-01T01:00:00Z");
    }

    @Test
    void typeGivesANameNotAnInternalObject() throws EvalException {
        assertThat(render("${{ type(1) }}")).isEqualTo("int");
        assertThat(render("${{ type('a') }}")).isEqualTo("string");
        assertThat(render("${{ type(params.labels) }}")).isEqualTo("map");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "java.lang.Runtime.getRuntime().exec('id')      | unknown name 'java'",
        "params.getClass().forName('java.lang.System') | undeclared reference to 'getClass'",
        "Runtime.getRuntime()                          | unknown name 'Runtime'",
        "dyn(params).getClass()                        | undeclared reference to 'getClass'",
        "google.protobuf.Timestamp{}                   | unknown name 'google.protobuf.Timestamp'",
    })
    void expressionsCannotReachTheHost(String expr, String problem) {
        Template t = Template.parse((YScalar) str("${{ " + expr + " }}"), new Problems("t.yaml"));
        List<Cel.Issue> issues = Cel.compile(t.holes().get(0));
        assertThat(issues).as("compiling '" + expr + "' fails cleanly").isNotEmpty();
        assertThat(issues.toString()).containsAnyOf(problem, problem.replace("unknown name", "undeclared reference to"));
        assertThatThrownBy(() -> render("${{ " + expr + " }}")).isInstanceOf(EvalException.class)
                .hasMessageStartingWith("invalid expression: ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nosuch(1)                   | UNKNOWN_FUNCTION | nosuch",
        "params.x.trimmed()          | UNKNOWN_FUNCTION | trimmed",
        "foo + 1                     | UNKNOWN_NAME     | foo",
        "params.a + foo.bar          | UNKNOWN_NAME     | foo",
        "google.protobuf.Timestamp{} | UNKNOWN_NAME     | google.protobuf.Timestamp",
        "1 + 'a'                     | OTHER            | ",
        "size(1, 2)                  | OTHER            | ",
        "size(                       | OTHER            | ",
    })
    void issuesSayWhatKindTheyAreWithoutReadingCelsWords(String expr, Cel.Kind kind, String name) {
        List<Cel.Issue> issues = Cel.compile(Expr.cel(expr, null, 0));
        assertThat(issues).isNotEmpty();
        assertThat(issues.get(0).kind()).isEqualTo(kind);
        assertThat(issues.get(0).name()).isEqualTo(name);
    }

    @Test
    void evaluationErrorsAreCleanMessages() {
        assertThatThrownBy(() -> render("${{ params.missing }}")).isInstanceOf(EvalException.class)
                .hasMessage("no key 'missing'");
        assertThatThrownBy(() -> render("${{ params.labels['zone'] }}")).isInstanceOf(EvalException.class)
                .hasMessage("no key 'zone'");
        assertThatThrownBy(() -> render("${{ int('x') }}")).isInstanceOf(EvalException.class)
                .hasMessage("not a number: \"x\"");
        assertThatThrownBy(() -> render("${{ 9223372036854775807 + 1 }}")).isInstanceOf(EvalException.class)
                .hasMessage("long overflow");
        assertThatThrownBy(() -> render("${{ params.n / 0 }}")).isInstanceOf(EvalException.class)
                .hasMessage("division by zero");
        assertThatThrownBy(() -> render("${{ params.names[5] }}")).isInstanceOf(EvalException.class)
                .hasMessageContaining("out of bounds");
    }

    @Test
    void aScriptGetsEveryValueAsOneSingleQuotedWord() throws EvalException {
        Map<String, Object> scope = scope();
        ((Map<String, Object>) scope.get("params")).put("who", "x'; rm -rf / #$(id)`id`\nnext");
        String script = ShellScript.render((YScalar) yaml("|\n  echo ${{ params.who }} ${{ params.n }}\n"), scope);
        assertThat(script).isEqualTo("echo 'x'\\''; rm -rf / #$(id)`id`\nnext' '3'\n");
    }

    @Test
    void aPreviewKeepsWhatIsNotKnownAsWritten() {
        Map<String, Object> scope = scope();
        scope.remove("steps");
        assertThat(Renderer.preview(str("files: ${{ steps['backup-files'].outputs.files }} n=${{ params.n }}"), scope))
                .isEqualTo("files: ${{ steps['backup-files'].outputs.files }} n=3");
        assertThat(Renderer.preview(str("${{ vars.later }}"), scope)).isEqualTo("${{ vars.later }}");
    }
}
