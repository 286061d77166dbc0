package dev.runbook.sandbox.kube;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** An answer of the API server: status code, content type and body. */
record ApiResponse(int code, String contentType, String body) {
    static final String JSON = "application/json";

    static ApiResponse json(int code, JsonNode body) {
        return new ApiResponse(code, JSON, Json.write(body));
    }

    static ApiResponse json(int code, String body) {
        return new ApiResponse(code, JSON, body);
    }

    static ApiResponse text(String body) {
        return new ApiResponse(200, "text/plain; charset=utf-8", body);
    }

    boolean ok() {
        return code >= 200 && code < 300;
    }

    /** A Kubernetes {@code Status} error, the only kind of failure the server answers. */
    static ApiResponse status(int code, String reason, String message) {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return json(code, status);
    }

    static ApiResponse notFound(String message) {
        return status(404, "NotFound", message);
    }

    static ApiResponse badRequest(String message) {
        return status(400, "BadRequest", message);
    }

    static ApiResponse methodNotAllowed(String message) {
        return status(405, "MethodNotAllowed", message);
    }

    /** Success {@code Status}, as a delete of a collection or an exec that exited 0 answers. */
    static ObjectNode success() {
        ObjectNode status = Json.object().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Success");
    }
}
