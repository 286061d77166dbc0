package dev.runbook.sandbox.kube;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** Server-side dry run: {@code dryRun=All} in the query, or in a delete's DeleteOptions body. */
final class DryRun {
    private DryRun() {
    }

    static boolean requested(ApiRequest request) {
        List<String> values = request.params("dryRun");
        for (String value : values) {
            if (!value.equals("All")) {
                throw new Json.BadRequest("invalid dryRun value '" + value + "': only All is supported");
            }
        }
        return !values.isEmpty();
    }

    static boolean requested(JsonNode dryRunField) {
        for (JsonNode value : dryRunField) {
            if (!value.asString("").equals("All")) {
                throw new Json.BadRequest("invalid dryRun value '" + value.asString("") + "': only All is supported");
            }
            return true;
        }
        return false;
    }
}
