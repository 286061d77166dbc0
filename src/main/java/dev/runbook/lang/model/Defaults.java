package dev.runbook.lang.model;

import dev.runbook.lang.yaml.YNode;
import java.time.Duration;

/** Step defaults from the top-level {@code defaults} map; null where not given. */
public record Defaults(Setting<Duration> timeout, Setting<Duration> interval, Setting<Integer> retries, String target,
                       YNode namespace) {
    public static final Defaults NONE = new Defaults(null, null, null, null, null);
}
