package dev.runbook.plan;

import dev.runbook.expr.Renderer;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import tools.jackson.databind.json.JsonMapper;

/** Ways of writing plan values as text that every action's plan summary shares. */
public final class PlanText {
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PlanText() {
    }

    /** A value as one line of text. */
    public static String format(Object v) {
        return Renderer.format(v);
    }

    /** A map or list as an indented YAML block (what a manifest looks like), else inline. */
    public static String block(Object v) {
        if (v instanceof Map || v instanceof List) {
            StringBuilder sb = new StringBuilder();
            for (String line : yaml(v).stripTrailing().split("\n")) {
                sb.append("\n  ").append(line);
            }
            return sb.toString();
        }
        return " " + Renderer.format(v);
    }

    public static String yaml(Object v) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(120).build();
        return new Dump(settings).dumpToString(v);
    }

    public static String json(Object v) {
        return JSON.writeValueAsString(v);
    }

    /** One argument as a shell would need it quoted to mean the same word. */
    public static String shellWord(String s) {
        if (!s.isEmpty() && SHELL_SAFE.matcher(s).matches()) {
            return s;
        }
        if (s.startsWith("${{") && s.endsWith("}}")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** An argv list as one shell line. */
    public static String argvLine(List<?> argv) {
        return String.join(" ", argv.stream().map(o -> shellWord(Renderer.format(o))).toList());
    }

    /** Appends {@code " key=value"} for each key the map has, in the given order. */
    public static void keyValues(StringBuilder sb, Map<?, ?> m, List<String> keys) {
        for (String k : keys) {
            if (m.containsKey(k)) {
                sb.append(' ').append(k).append('=').append(Renderer.format(m.get(k)));
            }
        }
    }
}
