package dev.runbook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code --set} and {@code --params}: coercion to the declared type, and every problem at once. */
class ParamsTest {
    @TempDir
    Path dir;

    Path runbook;

    @BeforeEach
    void write() throws IOException {
        runbook = dir.resolve("params.yaml");
        Files.writeString(runbook, """
                apiVersion: runbook/v1
                name: params
                params:
                  host: {description: Appliance host}
                  port: {type: integer, default: 22}
                  ratio: {type: number, default: 0.85}
                  dr: {type: boolean, default: false}
                  hosts: {type: list, default: []}
                  labels: {type: map, default: {}}
                  id: {pattern: '^[0-9]+$', default: "1"}
                  loose: {pattern: '[0-9]', required: false}
                  subsys: {enum: [mgmt, portal], default: mgmt}
                  code: {default: "007"}
                  pin: {type: integer, secret: true, required: false}
                  token: {secret: true, pattern: '^tok-', required: false}
                  zone: {secret: true, enum: [east, west], required: false}
                steps:
                  - id: show
                    shell: {command: [echo, "${{ params.host }}"]}
                """);
    }

    Cli.Result plan(String... sets) {
        List<String> args = new ArrayList<>(List.of("plan", runbook.toString(), "--format", "json"));
        for (int i = 0; i < sets.length; i++) {
            if (sets[i].equals("--params")) {
                args.add(sets[i]);
                args.add(sets[++i]);
            } else {
                args.add("--set");
                args.add(sets[i]);
            }
        }
        return Cli.run(args.toArray(String[]::new));
    }

    JsonNode params(String... sets) {
        Cli.Result r = plan(sets);
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        return JsonMapper.builder().build().readTree(r.out()).get("params");
    }

    @Test
    void setIsCoercedToTheDeclaredType() {
        JsonNode p = params("host=h1", "port=8443", "ratio=0.5", "dr=TRUE", "hosts=[a, b]", "labels={app: cassandra, n: 3}",
                "id=123", "subsys=portal", "code=008");
        assertThat(p.get("host").asString()).isEqualTo("h1");
        assertThat(p.get("port").isIntegralNumber()).isTrue();
        assertThat(p.get("port").asLong()).isEqualTo(8443);
        assertThat(p.get("ratio").asDouble()).isEqualTo(0.5);
        assertThat(p.get("dr").isBoolean()).isTrue();
        assertThat(p.get("dr").asBoolean()).isTrue();
        assertThat(p.get("hosts").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(p.get("labels").toString()).isEqualTo("{\"app\":\"cassandra\",\"n\":3}");
        assertThat(p.get("id").asString()).isEqualTo("123");
        assertThat(p.get("code").asString()).as("a string param keeps its leading zeros").isEqualTo("008");
    }

    @Test
    void moreCoercions() {
        JsonNode p = params("host=h", "hosts=a,b , c", "ratio=3", "dr=false", "port=-1", "hosts=x");
        assertThat(p.get("hosts").toString()).as("the last --set wins").isEqualTo("[\"x\"]");
        assertThat(p.get("ratio").isDouble()).as("a number param is a double, a whole one too").isTrue();
        assertThat(p.get("ratio").asDouble()).isEqualTo(3.0);
        assertThat(p.get("port").asLong()).isEqualTo(-1);
        assertThat(params("host=h", "hosts=a,b , c").get("hosts").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        assertThat(params("host=h", "labels={}").get("labels").toString()).isEqualTo("{}");
        assertThat(params("host=h").get("loose").isNull()).as("optional and not given: null").isTrue();
    }

    @Test
    void patternIsUnanchoredLikeJsonSchema() {
        assertThat(params("host=h", "loose=abc1def").get("loose").asString()).isEqualTo("abc1def");
        Cli.Result r = plan("host=h", "loose=abc");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: param 'loose': 'abc' does not match pattern [0-9]\n");
    }

    @Test
    void aParamsFileGivesTypedValuesAndSetWinsOverIt() throws IOException {
        Path file = dir.resolve("values.yaml");
        Files.writeString(file, """
                # values for the test
                host: from-file
                port: 2222
                hosts: [a, b]
                labels: {app: cassandra}
                dr: true
                subsys: mgmt
                """);
        JsonNode p = params("--params", file.toString(), "port=9", "subsys=portal");
        assertThat(p.get("host").asString()).isEqualTo("from-file");
        assertThat(p.get("port").asLong()).isEqualTo(9);
        assertThat(p.get("subsys").asString()).isEqualTo("portal");
        assertThat(p.get("hosts").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(p.get("labels").toString()).isEqualTo("{\"app\":\"cassandra\"}");
        assertThat(p.get("dr").asBoolean()).isTrue();
    }

    @Test
    void aStringParamFromAFileIsTheTextAsWrittenAndAnEmptyValueIsNotGiven() throws IOException {
        Path file = dir.resolve("as-written.yaml");
        Files.writeString(file, "host: 1e3\ncode: 0123\nid: 1583268283534609276\nsubsys:\nloose: ~\n");
        JsonNode p = params("--params", file.toString());
        assertThat(p.get("host").asString()).isEqualTo("1e3");
        assertThat(p.get("code").asString()).isEqualTo("0123");
        assertThat(p.get("id").asString()).isEqualTo("1583268283534609276");
        assertThat(p.get("subsys").asString()).as("empty in the file: the default").isEqualTo("mgmt");
        assertThat(p.get("loose").isNull()).isTrue();

        Files.writeString(file, "host:\n");
        Cli.Result r = plan("--params", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: missing required param 'host' (Appliance host)\n"
                + "    give it with --set host=VALUE or in a --params file\n");
    }

    @Test
    void missingUnknownAndIllTypedParamsAreAllReportedAtOnce() {
        Cli.Result r = plan("port=twenty-two", "ratio=abc", "dr=yes", "hosts=", "labels=[1]", "id=12a", "subsys=gateway",
                "prot=1", "nosuch", "=x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("""
                error: --set number 9 is not NAME=VALUE: it has no '='
                error: --set number 10 is not NAME=VALUE: it has no name before '='
                error: param 'port' must be an integer, not 'twenty-two'
                error: param 'ratio' must be a number, not 'abc'
                error: param 'dr' must be a boolean (true or false), not 'yes'
                error: param 'labels' must be a map, not '[1]'
                error: param 'id': '12a' does not match pattern ^[0-9]+$
                error: param 'subsys': 'gateway' is not one of mgmt, portal
                error: unknown param 'prot' (did you mean 'port'?)
                    declared params: host, port, ratio, dr, hosts, labels, id, loose, subsys, code, pin, token, zone
                error: missing required param 'host' (Appliance host)
                    give it with --set host=VALUE or in a --params file
                """);
    }

    @Test
    void problemsInAParamsFileAreReportedAtTheirLineAndColumn() throws IOException {
        Path file = dir.resolve("bad-values.yaml");
        Files.writeString(file, "host: h\nport: [1]\nzoen: east\n");
        Cli.Result r = plan("--params", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(file + ":2:1: error: param 'port' must be an integer, not [1]\n"
                + file + ":3:1: error: unknown param 'zoen' (did you mean 'zone'?)\n"
                + "    declared params: host, port, ratio, dr, hosts, labels, id, loose, subsys, code, pin, token, zone\n");

        Path notYaml = dir.resolve("list.yaml");
        Files.writeString(notYaml, "- host\n");
        Cli.Result list = plan("--params", notYaml.toString(), "host=h");
        assertThat(list.code()).isEqualTo(2);
        assertThat(list.err()).isEqualTo(notYaml + ":1:1: error: a params file is a YAML map of NAME: VALUE, not a list\n");

        Cli.Result missing = plan("--params", dir.resolve("nope.yaml").toString(), "host=h");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).isEqualTo(dir.resolve("nope.yaml") + ": error: no such params file\n");
    }

    @Test
    void aSecretValueNeverAppearsInAnErrorMessage() throws IOException {
        String pin = "12ab34x";
        String token = "hunter2-secret";
        String zone = "north-pole-secret";
        Cli.Result r = plan("host=h", "pin=" + pin, "token=" + token, "zone=" + zone, "hunter2-typed-alone", "token:" + token);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("""
                error: --set number 5 is not NAME=VALUE: it has no '='
                error: --set number 6 is not NAME=VALUE: it has no '='
                error: param 'pin' must be an integer
                error: param 'token': the value does not match pattern ^tok-
                error: param 'zone': the value is not one of east, west
                """);
        for (String secret : List.of(pin, token, zone, "hunter2")) {
            assertThat(r.all()).doesNotContain(secret);
        }

        Path file = dir.resolve("secret-values.yaml");
        Files.writeString(file, "host: h\npin: " + pin + "\ntoken: " + token + "\n");
        Cli.Result fromFile = plan("--params", file.toString());
        assertThat(fromFile.code()).isEqualTo(2);
        assertThat(fromFile.err()).isEqualTo(file + ":2:1: error: param 'pin' must be an integer\n"
                + file + ":3:1: error: param 'token': the value does not match pattern ^tok-\n");
    }

    @Test
    void aGoodSecretIsShownAsStars() {
        Cli.Result r = plan("host=h", "pin=1234", "token=tok-abcdef", "zone=east");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"pin\" : \"***\"", "\"token\" : \"***\"", "\"zone\" : \"***\"");
        // The runbook's path is the one text of the plan this test did not choose: the random
        // name of the temporary directory may hold the pin's digits. Nothing else may.
        ObjectNode plan = (ObjectNode) JsonMapper.builder().build().readTree(r.out());
        assertThat(plan.remove("file").asString()).isEqualTo(runbook.toString());
        assertThat(plan.toString()).doesNotContain("tok-abcdef", "1234");
    }
}
