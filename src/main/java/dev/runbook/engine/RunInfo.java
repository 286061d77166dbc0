package dev.runbook.engine;

import java.time.Instant;
import java.util.Map;

/**
 * Facts about a run fixed at its start. {@code params} holds the non-secret params only.
 */
public record RunInfo(String runId, String runbookName, String runbookFile, boolean dryRun, Map<String, Object> params,
                      String user, String host, long pid, Instant startedAt) {
}
