package dev.runbook.actions;

import dev.runbook.engine.ActionException;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.yaml.YamlLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Turns text an action produced (stdout, a file) into values: lines, JSON, YAML. */
public final class Outputs {
    /** Made on first use: most runs never parse JSON. */
    private static final class Json {
        static final JsonMapper MAPPER = JsonMapper.builder().build();
    }

    private Outputs() {
    }

    /** The text's lines, without line ends; a final newline does not make an empty last line. */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String l : text.split("\n", -1)) {
            out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
        }
        if (out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    /**
     * Adds the parsed form of {@code text} to {@code result} as {@code parse} asks: {@code json}
     * or {@code yaml} put the document under {@code json} (YAML being a superset of JSON, one
     * name serves both); {@code text} and {@code lines} add nothing beyond what is always there.
     */
    public static void parse(String text, String parse, String what, Map<String, Object> result) throws ActionException {
        if (parse == null) {
            return;
        }
        switch (parse) {
            case "json" -> result.put("json", json(text, what));
            case "yaml" -> result.put("json", yaml(text, what));
            default -> {
            }
        }
    }

    public static Object json(String text, String what) throws ActionException {
        if (text == null || text.isBlank()) {
            throw new ActionException(what + " is empty, so it is not JSON (parse: json)");
        }
        try {
            return Json.MAPPER.readValue(text, Object.class);
        } catch (JacksonException e) {
            String m = e.getOriginalMessage();
            throw new ActionException(what + " is not valid JSON (parse: json): " + (m == null ? e.getMessage() : m));
        }
    }

    public static Object yaml(String text, String what) throws ActionException {
        try {
            return YamlLoader.load(what, text == null ? "" : text).toPlain();
        } catch (InvalidRunbookException e) {
            String m = e.diagnostics().isEmpty() ? e.getMessage() : e.diagnostics().get(0).message();
            throw new ActionException(what + " is not valid YAML (parse: yaml): " + m);
        }
    }
}
