package dev.runbook.sandbox.kube;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Label and field selectors as the Kubernetes API reads them, applied to stored objects. */
final class Selectors {
    private static final Pattern SET_REQUIREMENT =
            Pattern.compile("\\s*([A-Za-z0-9._/-]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*");
    private static final Pattern COMPARISON = Pattern.compile("\\s*([A-Za-z0-9._/-]+)\\s*(==|!=|=)\\s*([^=!]*?)\\s*");
    private static final Pattern EXISTS = Pattern.compile("\\s*(!?)\\s*([A-Za-z0-9._/-]+)\\s*");

    private Selectors() {
    }

    /** Everything matches an absent or empty selector. */
    static Predicate<JsonNode> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> requirements = new ArrayList<>();
        for (String requirement : splitTopLevel(selector)) {
            requirements.add(labelRequirement(requirement));
        }
        return o -> requirements.stream().allMatch(r -> r.test(o));
    }

    private static Predicate<JsonNode> labelRequirement(String requirement) {
        Matcher set = SET_REQUIREMENT.matcher(requirement);
        if (set.matches()) {
            String key = set.group(1);
            Set<String> values = Set.copyOf(Arrays.stream(set.group(3).split(",")).map(String::trim).toList());
            boolean in = set.group(2).equals("in");
            return o -> {
                JsonNode value = o.path("metadata").path("labels").get(key);
                boolean member = value != null && values.contains(value.asString());
                return in == member;
            };
        }
        Matcher comparison = COMPARISON.matcher(requirement);
        if (comparison.matches()) {
            String key = comparison.group(1);
            String expected = comparison.group(3);
            boolean equal = !comparison.group(2).equals("!=");
            return o -> {
                JsonNode value = o.path("metadata").path("labels").get(key);
                boolean same = value != null && value.asString().equals(expected);
                return equal == same;
            };
        }
        Matcher exists = EXISTS.matcher(requirement);
        if (exists.matches()) {
            String key = exists.group(2);
            boolean present = exists.group(1).isEmpty();
            return o -> o.path("metadata").path("labels").has(key) == present;
        }
        throw new Json.BadRequest("unable to parse requirement '" + requirement.trim() + "' of the label selector");
    }

    /**
     * Field selectors over any dotted path ({@code metadata.name}, {@code status.phase},
     * {@code spec.nodeName}, {@code involvedObject.uid}); an absent field compares as "".
     */
    static Predicate<JsonNode> fields(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> requirements = new ArrayList<>();
        for (String requirement : splitTopLevel(selector)) {
            Matcher comparison = COMPARISON.matcher(requirement);
            if (!comparison.matches()) {
                throw new Json.BadRequest("invalid field selector requirement '" + requirement.trim()
                        + "': the sandbox supports FIELD=VALUE, FIELD==VALUE and FIELD!=VALUE");
            }
            String path = comparison.group(1);
            String expected = comparison.group(3);
            boolean equal = !comparison.group(2).equals("!=");
            requirements.add(o -> Json.textAt(o, path).equals(expected) == equal);
        }
        return o -> requirements.stream().allMatch(r -> r.test(o));
    }

    /** Splits on commas outside parentheses: {@code a in (x,y),b} is two requirements. */
    private static List<String> splitTopLevel(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : selector.toCharArray()) {
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts.stream().filter(p -> !p.isBlank()).toList();
    }
}
