package dev.runbook.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Prompt answers given before the run: {@code --answer ID=VALUE}, {@code --answers FILE} and
 * {@code --yes} (every confirm). {@code source} says where each came from, for the record of
 * who answered what.
 */
public final class Answers {
    /** One answer and where it was given ("--answer", "--answers FILE"). */
    public record Given(String value, String source) {
    }

    private final Map<String, Given> byId;
    private final boolean yes;

    public Answers(Map<String, Given> byId, boolean yes) {
        this.byId = Map.copyOf(new LinkedHashMap<>(byId));
        this.yes = yes;
    }

    public static Answers none() {
        return new Answers(Map.of(), false);
    }

    public Given get(String stepId) {
        return byId.get(stepId);
    }

    public boolean yes() {
        return yes;
    }

    public Set<String> ids() {
        return byId.keySet();
    }
}
