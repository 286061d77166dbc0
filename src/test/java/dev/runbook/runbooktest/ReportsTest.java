package dev.runbook.runbooktest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportsTest {
    @TempDir
    Path dir;

    private TestSpec spec(String name, Path runbook) {
        return new TestSpec(name, dir.resolve(name), runbook, Map.of(), Map.of(), Map.of(), false, false, null,
                new TestSpec.Expect(0, null, null, Map.of(), List.of(), List.of(), null));
    }

    private TestResult passed(String name, Path runbook, String stoppedAt) {
        return new TestResult(spec(name, runbook), Duration.ofMillis(3210), List.of(), List.of(), stoppedAt);
    }

    private TestResult failed(String name, Path runbook, String stoppedAt) {
        return new TestResult(spec(name, runbook), Duration.ofMillis(4100), List.of("exit: expected 0, got 1", "writes: expected 0, got 2 <&>"),
                List.of("Result: FAILED (exit 1)", "bell \u0007 here"), stoppedAt);
    }

    @Test
    void resultLinesSummaryAndExitCodes() {
        Path rb = dir.resolve("rb.yaml");
        TestResult ok = passed("sandboxes/ok", rb, null);
        TestResult bad = failed("sandboxes/bad", rb, "check");
        assertThat(TextReport.result(ok)).isEqualTo("PASS sandboxes/ok 3.2s\n");
        assertThat(TextReport.result(bad)).isEqualTo("""
                FAIL sandboxes/bad 4.1s
                    exit: expected 0, got 1
                    writes: expected 0, got 2 <&>
                    last lines of the run:
                      | Result: FAILED (exit 1)
                      | bell \u0007 here
                """);
        assertThat(TextReport.summary(List.of(ok, bad))).isEqualTo("1 passed, 1 failed");
        assertThat(TextReport.exitCode(List.of(ok, bad))).isEqualTo(1);
        assertThat(TextReport.summary(List.of(ok, ok))).isEqualTo("2 passed, 0 failed");
        assertThat(TextReport.exitCode(List.of(ok, ok))).isZero();
    }

    @Test
    void resultsComeInTestOrderWhateverOrderTheyFinishIn() {
        Path rb = dir.resolve("rb.yaml");
        List<TestSpec> specs = List.of(spec("a", rb), spec("b", rb), spec("c", rb));
        List<String> printed = new ArrayList<>();
        List<TestResult> results = TestSuite.run(specs, 3, s -> {
            try {
                Thread.sleep(s.name().equals("a") ? 300 : 10); // the first test finishes last
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return passed(s.name(), rb, null);
        }, r -> printed.add(r.name()));
        assertThat(printed).containsExactly("a", "b", "c");
        assertThat(results).extracting(TestResult::name).containsExactly("a", "b", "c");
    }

    @Test
    void junitXmlIsWellFormedAndNamesEachTest() throws Exception {
        Path rb = dir.resolve("rb.yaml");
        Path file = dir.resolve("reports/junit.xml");
        JUnitReport.write(file, List.of(passed("sandboxes/ok", rb, null), failed("sandboxes/bad", rb, null)));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(file)));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("time")).isEqualTo("7.310");
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(2);
        assertThat(((Element) cases.item(0)).getAttribute("name")).isEqualTo("sandboxes/ok");
        assertThat(((Element) cases.item(0)).getElementsByTagName("failure").getLength()).isZero();
        Element bad = (Element) cases.item(1);
        assertThat(bad.getAttribute("name")).isEqualTo("sandboxes/bad");
        Element failure = (Element) bad.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).isEqualTo("exit: expected 0, got 1; writes: expected 0, got 2 <&>");
        assertThat(bad.getElementsByTagName("system-out").item(0).getTextContent())
                .isEqualTo("Result: FAILED (exit 1)\nbell ? here");
    }

    @Test
    void coverageListsTrippedAndUntrippedGuards() throws IOException {
        Path rb = Files.writeString(dir.resolve("guarded.yaml"), """
                apiVersion: runbook/v1
                name: guarded
                defaults: {timeout: 1m}
                steps:
                  - id: go-ahead
                    prompt: {message: "Go?"}
                  - id: name-it
                    prompt: {message: "Name?", type: input}
                  - id: sizes-match
                    assert: {that: "1 == 1"}
                  - id: wait-ready
                    shell: {command: [echo, ready]}
                    until: "result.stdout == 'ready\\\\n'"
                  - id: poll-no-timeout
                    shell: {command: [echo, x]}
                  - id: sections
                    group:
                      steps:
                        - id: nested-check
                          assert: {that: "true"}
                """);
        assertThat(Coverage.guards(dev.runbook.lang.RunbookLoader.load(rb, dev.runbook.actions.ActionTypes.standard()).runbook()))
                .containsExactly(new Coverage.Guard("go-ahead", "confirm"), new Coverage.Guard("sizes-match", "assert"),
                        new Coverage.Guard("wait-ready", "until"), new Coverage.Guard("nested-check", "assert"));
        List<Coverage.RunbookCoverage> cov = Coverage.of(List.of(
                passed("t/declined", rb, "go-ahead"), passed("t/mismatch", rb, "sizes-match"),
                failed("t/mismatch-again", rb, "sizes-match"), passed("t/healthy", rb, null)));
        assertThat(cov).hasSize(1);
        assertThat(cov.get(0).untripped()).containsExactly(new Coverage.Guard("wait-ready", "until"),
                new Coverage.Guard("nested-check", "assert"));
        String text = Coverage.text(cov);
        assertThat(text).contains("Guards of " + rb + ": 2 of 4 tripped by a test")
                .contains("go-ahead      confirm  tripped by t/declined\n")
                .contains("sizes-match   assert   tripped by t/mismatch, t/mismatch-again\n")
                .contains("wait-ready    until    never tripped\n")
                .contains("  untripped: wait-ready, nested-check\n");
    }

    @Test
    void coverageOfARunbookThatDoesNotLoadSaysSo() throws IOException {
        Path rb = Files.writeString(dir.resolve("broken.yaml"), "apiVersion: runbook/v1\nname: x\nsteps: []\nbogus: 1\n",
                StandardCharsets.UTF_8);
        String text = Coverage.text(Coverage.of(List.of(passed("t/x", rb, null))));
        assertThat(text).startsWith("\nGuards of " + rb + ": the runbook does not load: " + rb + ":");
    }
}
