package dev.runbook.sandbox.kube;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request to the API server, as the server's handlers read it.
 *
 * @param accept the Accept header (null when not given): kubectl asks for Tables through it
 */
record ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, String body,
                  String accept) {

    String param(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(param(name)) || "1".equals(param(name));
    }
}
