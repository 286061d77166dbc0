package dev.runbook.kube;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Questions a dry run's preflight asks before the first step: does the API server answer, and
 * may these credentials do this ({@code SelfSubjectAccessReview}, as {@code kubectl auth can-i}).
 */
public final class AccessCheck {
    private final KubeConnection connection;

    public AccessCheck(KubeConnection connection) {
        this.connection = connection;
    }

    /** The answer to "can I VERB RESOURCE in NAMESPACE": allowed, or not with the server's reason. */
    public record Access(boolean allowed, String reason) {
    }

    /** The server's version ({@code gitVersion}, e.g. {@code v1.30.2}); a KubeException when it does not answer. */
    public String ping() {
        Object version;
        try {
            version = connection.get("/version", Operation.raw("get", "the server version"));
        } catch (KubeException e) {
            if (e.reason() == KubeException.Reason.NOT_FOUND) {
                throw new KubeException(KubeException.Reason.SERVER, 404, "the server at " + connection.server()
                        + " does not look like a Kubernetes API server (GET /version answered 404)");
            }
            throw e;
        }
        String git = KubeValues.string(version, "gitVersion");
        return git == null ? "unknown" : git;
    }

    /**
     * Whether the connection's user may {@code verb} (get, list, create, patch, delete ...) the
     * {@code resource} of {@code group} ("" for core) in {@code namespace} (null: cluster-wide).
     */
    public Access can(String verb, String group, String resource, String namespace) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("verb", verb);
        attributes.put("group", group == null ? "" : group);
        attributes.put("resource", resource);
        if (namespace != null) {
            attributes.put("namespace", namespace);
        }
        Map<String, Object> review = new LinkedHashMap<>();
        review.put("apiVersion", "authorization.k8s.io/v1");
        review.put("kind", "SelfSubjectAccessReview");
        review.put("spec", Map.of("resourceAttributes", attributes));
        Object answer = connection.send("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "application/json",
                KubeValues.toJson(review), Operation.raw("create", "selfsubjectaccessreviews.authorization.k8s.io"));
        boolean allowed = Boolean.TRUE.equals(KubeValues.at(answer, "status.allowed"));
        String reason = KubeValues.string(answer, "status.reason");
        if (!allowed) {
            String denied = "cannot " + verb + " " + (group == null || group.isEmpty() ? resource : resource + "." + group)
                    + (namespace != null ? " in namespace " + namespace : " (cluster-wide)");
            reason = reason == null || reason.isBlank() ? denied : denied + ": " + reason;
        }
        return new Access(allowed, reason == null ? "" : reason);
    }

    /** {@link #can} for a RESOURCE string as a runbook writes it ({@code cc}, {@code pods}). */
    public Access can(String verb, String resource, String namespace) {
        ApiResource type = connection.apiResources().resolve(resource);
        return can(verb, type.group(), type.plural(), type.namespaced() ? connection.namespaceOr(namespace) : null);
    }
}
