package dev.runbook.lang;

import dev.runbook.actions.ActionTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.graph.StepGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names, references and the step graph, checked on small runbooks held in the test. */
class CheckerTest {

    static CheckedRunbook load(String steps) {
        return RunbookLoader.parse("t.yaml", "apiVersion: runbook/v1\nname: t\nparams:\n  names: {type: list, default: [a]}\n"
                + "steps:\n" + steps, ActionTypes.standard());
    }

    static List<String> problems(String steps) {
        try {
            load(steps);
            return List.of();
        } catch (InvalidRunbookException e) {
            return e.diagnostics().stream().map(Diagnostic::format).toList();
        }
    }

    @Test
    void comprehensionVariablesAreNotUnknownNames() {
        assertThat(problems("""
                  - id: pods
                    kubectl: {get: pods}
                    capture:
                      names: "result.items.map(p, p.metadata.name)"
                      ready: "result.items.all(pod, pod.status.phase == 'Running')"
                      nested: "result.items.map(p, p.spec.containers.map(c, c.name + p.metadata.name))"
                  - id: no-foreach
                    assert:
                      that:
                        - "params.names.all(item, item != '')"
                        - "params.names.exists(index, index == 'a')"
                        - "[1, 2].map(result, result * 2) == [2, 4]"
                """)).isEmpty();
    }

    @Test
    void aNameUsedOutsideItsComprehensionIsStillUnknown() {
        assertThat(problems("""
                  - id: check
                    assert: {that: "params.names.all(n, n != '') && n == 'a'"}
                """)).as("the n after && is at column 53").containsExactly("t.yaml:7:53: error: unknown name 'n' in expression\n"
                + "    expressions read params, vars, steps, result, item, index, run and env");
    }

    @Test
    void readingAStepWithADashMakesAnEdgeToIt() {
        CheckedRunbook c = load("""
                  - id: backup-files
                    shell: {command: [ls]}
                    capture:
                      files: result.lines
                  - id: other
                    shell: {command: [date]}
                  - id: check
                    needs: other
                    assert: {that: "size(steps['backup-files'].outputs.files) > 0"}
                """);
        List<StepGraph.Edge> edges = c.graph().edgesFrom("check");
        assertThat(edges).extracting(StepGraph.Edge::to, StepGraph.Edge::kind)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("other", StepGraph.Kind.NEEDS),
                        org.assertj.core.groups.Tuple.tuple("backup-files", StepGraph.Kind.READS));
        assertThat(edges.get(1).outputs()).containsExactly("files");
        assertThat(c.graph().upstream("check")).containsExactlyInAnyOrder("other", "backup-files");
        assertThat(c.graph().downstream("backup-files")).containsExactly("check");
    }

    @Test
    void aComputedStepIndexIsAllowedButMakesNoEdge() {
        CheckedRunbook c = load("""
                  - id: a
                    shell: {command: [date]}
                  - id: b
                    assert: {that: "steps[params.names[0]].status == 'succeeded'"}
                """);
        assertThat(c.graph().edgesFrom("b")).isEmpty();
    }

    @Test
    void syntaxErrorsPointInsideTheExpression() {
        // The quoted string starts at column 29, the expression at 34; it ends at the '}}', column 54.
        assertThat(problems("""
                  - id: a
                    shell: {command: [echo, "${{ size(params.names) > }}"]}
                """)).containsExactly("t.yaml:7:54: error: syntax error: the expression ends where more was expected");
        assertThat(problems("""
                  - id: a
                    when: "params.names ++ 1"
                    assert: {that: true}
                """)).containsExactly("t.yaml:7:26: error: syntax error: unexpected '+'");
    }

    @Test
    void anExpressionInABlockScalarIsLocatedOnItsLine() {
        assertThat(problems("""
                  - id: a
                    shell:
                      script: |
                        echo start
                        echo ${{ parms.names }}
                """)).containsExactly("t.yaml:10:18: error: unknown name 'parms' in expression (did you mean 'params'?)\n"
                + "    expressions read params, vars, steps, result, item, index, run and env");
    }

    /**
     * Expressions are type-checked together, many per CEL call (see Cel.check): each problem
     * must still land on its own expression, line and column, across many batches.
     */
    @Test
    void typeErrorsAmongManyExpressionsLandOnTheirOwnLines() {
        StringBuilder steps = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            steps.append("  - id: s").append(i).append('\n');
            String expr = switch (i) {
                case 7 -> "size(params.names) + 'x' > 0";
                case 250 -> "params.names.all(n, n.size() > 0) && 1 == 'one'";
                case 399 -> "nosuch(params.names) // a comment";
                default -> "size(params.names) > " + i + " // comment " + i;
            };
            steps.append("    assert: {that: \"").append(expr).append("\"}\n");
        }
        // Line of step i's assert: 5 header lines, then 2 lines per step; CEL points at the operator.
        assertThat(problems(steps.toString())).containsExactly(
                "t.yaml:" + (5 + 2 * 7 + 2) + ":40: error: invalid expression: '+' cannot be applied to (int, string)",
                "t.yaml:" + (5 + 2 * 250 + 2) + ":60: error: invalid expression: '==' cannot be applied to (int, string)",
                "t.yaml:" + (5 + 2 * 399 + 2) + ":21: error: unknown function 'nosuch' in expression\n"
                        + "    expressions call CEL's standard functions and macros (size, has, all, exists, map, filter, ...)"
                        + " and its string, math and list functions; nothing else");
    }

    @Test
    void everyValidExpressionCanBeEvaluatedAfterTheBatchCheck() throws Exception {
        CheckedRunbook c = load("""
                  - id: a
                    assert: {that: ["params.names.all(n, n != '') // fine", "[1, 2].map(x, x * 2) == [2, 4]", "{'k': [1]}.k[0] == 1"]}
                """);
        var that = ((dev.runbook.lang.model.Action.Assert) c.runbook().step("a").action()).that();
        java.util.Map<String, Object> scope = java.util.Map.of("params", java.util.Map.of("names", List.of("a")));
        for (var e : that) {
            assertThat(e.ast().isChecked()).isTrue();
            assertThat(dev.runbook.expr.Cel.eval(e, scope)).as(e.source()).isEqualTo(true);
        }
    }

    @Test
    void aCheckedRunbookCarriesItsOwnCompiledTemplatesAndExpressions() {
        String steps = """
                  - id: a
                    shell: {script: "echo ${{ params.names.join(' ') }}"}
                    when: "${{ size(params.names) > 0 }}"
                """;
        CheckedRunbook first = load(steps);
        CheckedRunbook second = load(steps);
        var script = ((dev.runbook.lang.model.Action.Shell) first.runbook().step("a").action()).script();
        var hole = first.expressions().template((dev.runbook.lang.yaml.YScalar) script).holes().get(0);
        // What the checker compiled is what rendering finds: checked, with its reads resolved.
        assertThat(hole.ast().isChecked()).isTrue();
        assertThat(dev.runbook.expr.References.of(hole)).extracting(dev.runbook.expr.References.Ref::root).containsExactly("params");
        assertThat(first.expressions().template((dev.runbook.lang.yaml.YScalar) script)).isSameAs(
                first.expressions().template((dev.runbook.lang.yaml.YScalar) script));
        // Each load compiles into its own table: nothing is shared through (or kept in) the process.
        assertThat(second.expressions()).isNotSameAs(first.expressions());
        assertThat(second.runbook().step("a").when().compiled()).isNotNull()
                .isNotSameAs(first.runbook().step("a").when().compiled());
    }

    @Test
    void onlyTheFirstProblemOfAnInvalidRunbookIsNotEnough() {
        assertThatThrownBy(() -> load("""
                  - id: a
                    needs: [b]
                    shell: {command: [echo, "${{ item }}"]}
                  - id: b
                    kubectl: {get: pods, on: nowhere}
                """)).isInstanceOf(InvalidRunbookException.class)
                .satisfies(e -> assertThat(((InvalidRunbookException) e).diagnostics()).hasSize(3));
    }
}
