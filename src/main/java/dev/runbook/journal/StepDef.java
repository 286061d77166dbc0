package dev.runbook.journal;

/**
 * A step as the journal knows it: its id, what people call it, where it sits, and the hash of
 * its definition (see {@link DefinitionHash}).
 *
 * @param group     the enclosing group's id, or null at top level
 * @param onFailure true for the steps of the runbook's {@code onFailure} section
 */
public record StepDef(String id, String title, String group, String sha256, boolean onFailure) {
}
