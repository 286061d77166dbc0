package dev.runbook.lang.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.Pos;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The YAML rules of docs/language.md: the 1.2 core schema, positions, and what is refused. */
class YamlLoaderTest {

    static Object value(String yaml) {
        return ((YMap) YamlLoader.load("t.yaml", "v: " + yaml + "\n")).get("v").toPlain();
    }

    static List<String> problems(String source) {
        try {
            YamlLoader.load("t.yaml", source);
            return List.of();
        } catch (InvalidRunbookException e) {
            return e.diagnostics().stream().map(Diagnostic::format).toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "yes | yes", "no | no", "on | on", "off | off", "y | y", "Yes | Yes", "'true' | true", "'010' | 010", "0600x | 0600x"})
    void theseAreStrings(String yaml, String text) {
        assertThat(value(yaml)).isEqualTo(text);
    }

    @Test
    void booleansNullsAndNumbersFollowTheCoreSchema() {
        assertThat(value("true")).isEqualTo(true);
        assertThat(value("False")).isEqualTo(false);
        assertThat(value("TRUE")).isEqualTo(true);
        assertThat(value("~")).isNull();
        assertThat(value("null")).isNull();
        assertThat(value("")).isNull();
        assertThat(value("010")).isEqualTo(10L);
        assertThat(value("0600")).isEqualTo(600L);
        assertThat(value("0o10")).isEqualTo(8L);
        assertThat(value("0x1F")).isEqualTo(31L);
        assertThat(value("-7")).isEqualTo(-7L);
        assertThat(value("1.5")).isEqualTo(1.5);
        assertThat(value("1e3")).isEqualTo(1000.0);
        assertThat(value(".inf")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void keysAndValuesKnowTheirLineAndColumn() {
        YMap root = (YMap) YamlLoader.load("t.yaml", "a: 1\nsteps:\n  - id: x\n    shell: {command: [echo, \"${{ 1 }}\"]}\n");
        YMap step = (YMap) ((YSeq) root.get("steps")).items().get(0);
        assertThat(root.keyPos("steps")).isEqualTo(new Pos(2, 1));
        assertThat(step.pos()).isEqualTo(new Pos(3, 5));
        assertThat(step.keyPos("shell")).isEqualTo(new Pos(4, 5));
        YScalar arg = (YScalar) ((YSeq) ((YMap) step.get("shell")).get("command")).items().get(1);
        assertThat(arg.pos()).as("the opening quote").isEqualTo(new Pos(4, 29));
        assertThat(arg.posAt(4)).as("offset 4 inside the quoted text: the '1'").isEqualTo(new Pos(4, 34));
    }

    @Test
    void aByteOrderMarkIsDroppedAndBadBytesAreLocated() {
        byte[] bom = "\uFEFFa: 1\n".getBytes(StandardCharsets.UTF_8);
        assertThat(YamlLoader.decode("t.yaml", bom)).isEqualTo("a: 1\n");
        byte[] bad = {'a', ':', ' ', '1', '\n', 'b', ':', ' ', 'x', (byte) 0xC3, '(', '\n'};
        assertThatThrownBy(() -> YamlLoader.decode("t.yaml", bad)).isInstanceOf(InvalidRunbookException.class)
                .hasMessage("t.yaml:2:5: error: the file is not valid UTF-8 text: byte 0xC3 cannot start or continue a character\n"
                        + "    save the file as UTF-8");
    }

    @Test
    void aFewAliasesAreFineAndMergeKeysAreNot() {
        YMap root = (YMap) YamlLoader.load("t.yaml", "a: &x {k: 1}\nb: *x\n");
        assertThat(root.get("b").toPlain()).isEqualTo(Map.of("k", 1L));
        assertThat(problems("a: &x {k: 1}\nb:\n  <<: *x\n  j: 2\n"))
                .containsExactly("t.yaml:3:3: error: merge keys ('<<') are not supported: write the keys out, or use an anchor for the whole value");
        assertThat(problems("a: &x [1]\nb: {? [1] : 2}\n")).containsExactly("t.yaml:2:7: error: a key must be a plain string, not a list");
        assertThat(problems("a: &a [*a]\n")).hasSize(1).first().asString().contains("t.yaml:1:");
    }

    @Test
    void everyDuplicateKeyIsReportedWithTheFirstOne() {
        assertThat(problems("a: 1\nb: 2\na: 3\nb: 4\n")).containsExactly(
                "t.yaml:3:1: error: duplicate key 'a' (first defined at line 1)",
                "t.yaml:4:1: error: duplicate key 'b' (first defined at line 2)");
    }
}
