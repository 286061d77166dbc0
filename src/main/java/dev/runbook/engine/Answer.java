package dev.runbook.engine;

import java.time.Instant;

/**
 * How a prompt was answered: the value (already redacted for secret prompts), the OS user who
 * answered, when, and from where: terminal, --answer, --answers, --yes, default.
 */
public record Answer(String value, String by, Instant at, String source) {
}
