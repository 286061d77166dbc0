package dev.runbook.plan;

import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.yaml.YNode;
import dev.runbook.lang.yaml.YScalar;
import java.util.Map;

/**
 * What an action's descriptor fills in to show its action in a plan: the fields as far as they
 * can be known before running (unknown parts stay {@code ${{ ... }}}, secrets are masked).
 */
public interface PlanFields {
    /** Puts the field's preview under {@code key}; nothing when the node is null. */
    void put(String key, YNode node);

    /** Puts a value that needs no rendering (a verb, an operation, a type). */
    void putValue(String key, Object value);

    /** The preview of a template-bearing value. */
    Object show(YNode node);

    /** A bash script's preview: values appear as the single-quoted words the script will hold. */
    String script(YScalar script);

    /** Where a kubectl step without {@code on:} (or with it) would connect, in words. */
    String kubeTarget(String on);

    Runbook runbook();

    /** The map being filled, for actions that build nested values. */
    Map<String, Object> fields();
}
