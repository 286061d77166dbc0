package dev.runbook.kube;

/**
 * A Kubernetes operation did not succeed. The message is one line for the operator, never a
 * stack trace and never a secret value; {@link #reason()} lets callers decide what to do (a wait
 * keeps going through {@link Reason#UNREACHABLE}, and stops at once on {@link Reason#FORBIDDEN}).
 */
public class KubeException extends RuntimeException {

    /** What went wrong, coarsely: enough for a caller to decide between retrying and giving up. */
    public enum Reason {
        /** No kubeconfig, no such context, an unreadable file. */
        CONFIG,
        /** The API server could not be contacted at all. */
        UNREACHABLE,
        /** The TLS handshake failed: untrusted or expired certificate, wrong host name. */
        TLS,
        /** 401: the credentials were refused. */
        UNAUTHORIZED,
        /** 403: the credentials are fine but the action is not allowed. */
        FORBIDDEN,
        /** 404 on an object or its namespace. */
        NOT_FOUND,
        /** 409: already exists, or changed since it was read. */
        CONFLICT,
        /** 400/422: the server refused the request or the object as invalid. */
        INVALID,
        /** The RESOURCE string names no type the server serves. */
        UNKNOWN_RESOURCE,
        /** exec into a pod (or container) that is not running. */
        NOT_RUNNING,
        /** A wait ran out of time, or a request did. */
        TIMEOUT,
        /** The calling thread was interrupted, or a wait was stopped. */
        INTERRUPTED,
        /** Anything else the server answered with an error (5xx, 405, 415 ...). */
        SERVER
    }

    private final Reason reason;
    private final int httpCode;

    public KubeException(Reason reason, String message) {
        this(reason, 0, message);
    }

    public KubeException(Reason reason, int httpCode, String message) {
        super(oneLine(message));
        this.reason = reason;
        this.httpCode = httpCode;
    }

    public Reason reason() {
        return reason;
    }

    /** The HTTP status the server answered with, or 0 when there was no answer. */
    public int httpCode() {
        return httpCode;
    }

    /** Whether trying the same request again later may succeed. */
    public boolean transientFailure() {
        return reason == Reason.UNREACHABLE || reason == Reason.TIMEOUT
                || (reason == Reason.SERVER && (httpCode >= 500 || httpCode == 429));
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "Kubernetes request failed";
        }
        String flat = message.strip().replaceAll("\\s*\\R\\s*", "; ");
        return flat.length() > 500 ? flat.substring(0, 497) + "..." : flat;
    }
}
