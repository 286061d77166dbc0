package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Turns HTTP answers and transport failures into one-line {@link KubeException}s. */
final class ApiErrors {
    private ApiErrors() {
    }

    /** An error answer of the API server, usually a {@code Status} object. */
    static KubeException fromResponse(int code, String body, Operation op, String server) {
        Map<String, Object> status = statusOf(body);
        String serverMessage = status == null ? abbreviatedBody(body) : KubeValues.string(status, "message");
        String detailsName = status == null ? null : KubeValues.string(status, "details.name");
        return switch (code) {
            case 401 -> new KubeException(Reason.UNAUTHORIZED, code, "unauthorized: the Kubernetes API server at " + server
                    + " did not accept the kubeconfig's credentials (401); log in again or check the user of the context");
            case 403 -> new KubeException(Reason.FORBIDDEN, code, "forbidden: cannot " + op.verb() + " " + op.resource()
                    + (op.namespace() != null ? " in namespace " + op.namespace() : " (cluster-wide)") + asUser(serverMessage));
            case 404 -> notFound(op, detailsName, serverMessage);
            case 409 -> new KubeException(Reason.CONFLICT, code, "conflict: " + (serverMessage != null ? serverMessage
                    : op.describe() + " was changed by someone else; read it again and retry"));
            case 400, 422 -> new KubeException(Reason.INVALID, code, "invalid: " + (serverMessage != null ? serverMessage
                    : "the API server refused to " + op.verb() + " " + op.describe() + " (" + code + ")"));
            case 405 -> new KubeException(Reason.SERVER, code, "the API server does not allow " + op.verb() + " on "
                    + op.resource() + " (405)");
            default -> new KubeException(Reason.SERVER, code, "the API server answered " + code + " to " + op.verb() + " "
                    + op.describe() + (serverMessage != null ? ": " + serverMessage : ""));
        };
    }

    private static KubeException notFound(Operation op, String detailsName, String serverMessage) {
        // The name in the Status tells whether the object itself is missing or something it needs
        // (its namespace, say): in the second case the server's own sentence is the clear one.
        boolean itself = op.name() != null && (detailsName == null || detailsName.equals(op.name()));
        String message;
        if (itself) {
            message = op.resource() + " \"" + op.name() + "\" not found"
                    + (op.namespace() != null ? " in namespace " + op.namespace() : "");
        } else if (serverMessage != null && !serverMessage.isBlank() && !"the server could not find the requested resource".equals(serverMessage)) {
            message = serverMessage;
        } else {
            message = "the API server does not serve " + op.describe() + " (404)";
        }
        return new KubeException(Reason.NOT_FOUND, 404, message);
    }

    /** The user a 403 names ({@code User "bob" cannot ...}), which is the first thing to check. */
    private static String asUser(String serverMessage) {
        if (serverMessage == null) {
            return "";
        }
        var m = java.util.regex.Pattern.compile("User \"([^\"]+)\"").matcher(serverMessage);
        return m.find() ? " (as user \"" + m.group(1) + "\")" : "";
    }

    /** A failure before any answer: no connection, TLS, time-out, interrupt. */
    static KubeException fromFailure(Throwable failure, String server) {
        Throwable t = unwrap(failure);
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof KubeException k) {
                return k;
            }
            if (c instanceof CertificateException || c instanceof CertPathValidatorException || c instanceof SSLException) {
                return new KubeException(Reason.TLS, "TLS handshake with the Kubernetes API server at " + server + " failed: "
                        + tlsReason(t));
            }
            if (c instanceof HttpConnectTimeoutException) {
                return unreachable(server, "connection timed out");
            }
            if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
                return new KubeException(Reason.TIMEOUT, "the Kubernetes API server at " + server + " did not answer in time");
            }
            if (c instanceof ConnectException) {
                String m = c.getMessage();
                return unreachable(server, m == null || m.isBlank() || m.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? "connection refused" : m);
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return unreachable(server, "unknown host");
            }
            if (c instanceof NoRouteToHostException) {
                return unreachable(server, "no route to host");
            }
            if (c instanceof InterruptedException) {
                return new KubeException(Reason.INTERRUPTED, "interrupted while talking to the Kubernetes API server at " + server);
            }
            if (c instanceof KubernetesClientException k && k.getCode() > 0) {
                String body = k.getStatus() == null ? null : "{\"message\":" + KubeValues.toJson(k.getStatus().getMessage()) + "}";
                return fromResponse(k.getCode(), body, Operation.raw("call", "the API"), server);
            }
        }
        if (t instanceof IOException) {
            return unreachable(server, t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return new KubeException(Reason.SERVER, "request to the Kubernetes API server at " + server + " failed: "
                + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
    }

    static KubeException unreachable(String server, String why) {
        return new KubeException(Reason.UNREACHABLE, "cannot reach the Kubernetes API server at " + server + ": " + why);
    }

    private static String tlsReason(Throwable t) {
        String deepest = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                deepest = c.getMessage();
            }
        }
        if (deepest == null) {
            return "handshake error";
        }
        if (deepest.contains("unable to find valid certification path")) {
            return "the server's certificate is not signed by a trusted authority (check certificate-authority in the kubeconfig)";
        }
        return KubeValues.abbreviate(deepest, 200);
    }

    static Throwable unwrap(Throwable t) {
        Throwable cur = t;
        while ((cur instanceof ExecutionException || cur instanceof CompletionException) && cur.getCause() != null) {
            cur = cur.getCause();
        }
        return cur;
    }

    private static Map<String, Object> statusOf(String body) {
        if (body == null || !body.stripLeading().startsWith("{")) {
            return null;
        }
        try {
            return KubeValues.map(KubeValues.parseJson(body));
        } catch (KubeException notJson) {
            return null;
        }
    }

    private static String abbreviatedBody(String body) {
        return body == null || body.isBlank() ? null : KubeValues.abbreviate(body, 200);
    }
}
