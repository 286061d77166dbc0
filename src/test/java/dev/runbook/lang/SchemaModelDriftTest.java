package dev.runbook.lang;

import dev.runbook.actions.ActionTypes;
import dev.runbook.actions.kubectl.KubectlType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YamlLoader;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published JSON Schema and the Java model never drift apart: the keys {@link ModelReader}
 * reads (declared once in {@link Keys}) are exactly the {@code properties} of the matching
 * schema definition, the reader reads every one of them, the records carry them, and the valid
 * fixtures use them all.
 */
class SchemaModelDriftTest {
    static final Path SCHEMA = Path.of("schemas", "runbook.schema.json");

    static JsonNode schema() throws IOException {
        return JsonMapper.builder().build().readTree(Files.readString(SCHEMA));
    }

    static List<String> names(JsonNode properties) {
        List<String> out = new ArrayList<>();
        properties.propertyNames().forEach(out::add);
        return out;
    }

    @Test
    void everyDeclaredMapEqualsItsSchemaDefinitionBothWays() throws IOException {
        JsonNode root = schema();
        assertThat(Keys.of("")).as("top level").containsExactlyElementsOf(names(root.get("properties")));

        JsonNode defs = root.get("$defs");
        Set<String> schemaObjects = new TreeSet<>();
        defs.propertyNames().forEach(d -> {
            if (defs.get(d).has("properties")) {
                schemaObjects.add(d);
            }
        });
        Set<String> declared = new TreeSet<>(Keys.BY_DEF.keySet());
        declared.remove("");
        assertThat(declared).as("definitions with properties in the schema").isEqualTo(schemaObjects);
        for (String def : declared) {
            assertThat(Keys.of(def)).as("keys of " + def).containsExactlyElementsOf(names(defs.get(def).get("properties")));
        }
    }

    @Test
    void everyObjectInTheSchemaIsClosedSoThatATypoIsAnError() throws IOException {
        JsonNode root = schema();
        assertThat(root.get("additionalProperties").asBoolean(true)).isFalse();
        JsonNode defs = root.get("$defs");
        for (String def : Keys.BY_DEF.keySet()) {
            if (!def.isEmpty()) {
                assertThat(defs.get(def).get("additionalProperties").asBoolean(true)).as(def).isFalse();
            }
        }
    }

    @Test
    void theReaderReadsEveryDeclaredKeyAndTheValidFixturesUseEveryOne() throws IOException {
        Keys.resetTracking();
        for (Path p : validFixtures()) {
            RunbookLoader.load(p, ActionTypes.standard());
        }
        for (String def : Keys.BY_DEF.keySet()) {
            Set<String> read = keysOf(def, Keys.READ);
            Set<String> present = keysOf(def, Keys.PRESENT);
            if (Keys.KEPT_WHOLE.contains(def)) {
                assertThat(Keys.of(def)).as("kept whole: " + def).containsAll(read);
                continue;
            }
            assertThat(read).as("keys of '" + def + "' the reader reads").containsExactlyInAnyOrderElementsOf(Keys.of(def));
            assertThat(present).as("keys of '" + def + "' used by tests-fixtures/valid").containsExactlyInAnyOrderElementsOf(Keys.of(def));
        }
    }

    @Test
    void readingAnUndeclaredKeyFailsAtOnce() {
        YMap map = (YMap) YamlLoader.load("t.yaml", "command: [echo]\n");
        Keys.Section shell = new Keys.Section("shell", map);
        assertThat(shell.get("command")).isNotNull();
        assertThatThrownBy(() -> shell.get("comand")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'comand' is not declared for 'shell'");
        assertThat(shell.hasUnknownKeys()).isFalse();
        assertThat(new Keys.Section("shell", (YMap) YamlLoader.load("t.yaml", "comand: [echo]\n")).hasUnknownKeys()).isTrue();
    }

    @Test
    void everyActionHasAStepKeyASchemaDefinitionARecordAndADescriptor() throws IOException {
        JsonNode defs = schema().get("$defs");
        ActionTypes types = ActionTypes.standard();
        Set<Class<?>> described = types.keywords().stream().map(k -> (Class<?>) types.byKeyword(k).type())
                .collect(Collectors.toSet());
        assertThat(described).containsExactlyInAnyOrder(Action.class.getPermittedSubclasses());
        for (String action : types.keywords()) {
            assertThat(Keys.of("step")).contains(action);
            assertThat(defs.get("step").get("properties").get(action).get("$ref").asString()).isEqualTo("#/$defs/" + action);
        }
        assertThat(Keys.of("kubectl")).containsAll(KubectlType.VERBS);
    }

    /**
     * Each step key is a component of {@link Step} under the same name, and each key of an action
     * is a component of its record, except the keys that select the operation (a kubectl verb,
     * an sftp or file operation), which the record holds as {@code verb}/{@code op} and its operand;
     * kubectl logs and exec are both a verb and the record component that carries their map.
     */
    @Test
    void theRecordsCarryEveryKeyUnderItsOwnName() {
        Set<String> stepKeys = new TreeSet<>(Keys.of("step"));
        stepKeys.removeAll(ActionTypes.standard().keywords());
        Set<String> stepComponents = components(Step.class);
        stepComponents.removeAll(Set.of("pos", "group", "action", "source"));
        assertThat(stepComponents).isEqualTo(stepKeys);

        Map<Class<?>, String> defOf = Map.of(Action.Kubectl.class, "kubectl", Action.Apicup.class, "apicup",
                Action.Shell.class, "shell", Action.Sftp.class, "sftp", Action.Assert.class, "assert",
                Action.Prompt.class, "prompt", Action.FileOp.class, "file", Action.Group.class, "group");
        Map<String, Set<String>> operations = Map.of(
                "kubectl", Set.of("get", "apply", "applyFile", "patch", "delete", "export"),
                "sftp", Set.of("list", "stat", "get", "put"),
                "file", Set.of("write", "read"));
        Map<String, Set<String>> operationComponents = Map.of(
                "kubectl", Set.of("verb", "resource", "manifest"),
                "sftp", Set.of("op", "path", "from", "to"),
                "file", Set.of("op", "path"));
        assertThat(defOf.keySet()).containsExactlyInAnyOrder(Action.class.getPermittedSubclasses());
        for (Map.Entry<Class<?>, String> e : defOf.entrySet()) {
            String def = e.getValue();
            Set<String> keys = new TreeSet<>(Keys.of(def));
            keys.removeAll(operations.getOrDefault(def, Set.of()));
            Set<String> comps = components(e.getKey());
            comps.removeAll(operationComponents.getOrDefault(def, Set.of()));
            if (def.equals("prompt")) {
                keys.remove("default");
                assertThat(comps.remove("defaultValue")).as("prompt default").isTrue();
            }
            assertThat(comps).as("record components of " + e.getKey().getSimpleName()).isEqualTo(keys);
        }
    }

    private static Set<String> components(Class<?> record) {
        Set<String> out = new TreeSet<>();
        for (RecordComponent c : record.getRecordComponents()) {
            out.add(c.getName());
        }
        return out;
    }

    private static Set<String> keysOf(String def, Set<String> tracked) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tracked) {
            int dot = t.lastIndexOf('.');
            if (t.substring(0, dot).equals(def)) {
                out.add(t.substring(dot + 1));
            }
        }
        return out;
    }

    static List<Path> validFixtures() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("tests-fixtures", "valid"))) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }
}
