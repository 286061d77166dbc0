package dev.runbook.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a mutating verb would do, as the API server answered it under {@code dryRun=All}
 * (SPEC 6): the object it would store (or, for delete, the answer), the live object (null when
 * there is none), and a readable diff of the two.
 *
 * @param action  {@code create}, {@code update}, {@code unchanged} or {@code delete}
 * @param summary one line: "would create ConfigMap settings in namespace apiconnect"
 * @param diff    unified diff of the live object and the answer ("" for create, delete, unchanged)
 */
public record DryRunResult(String action, String summary, Map<String, Object> object, Map<String, Object> live, String diff) {

    /** The result as a plain map for a step's {@code result}. */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dryRun", true);
        out.put("action", action);
        out.put("summary", summary);
        out.put("diff", diff);
        out.put("object", object);
        out.put("live", live);
        return out;
    }
}
