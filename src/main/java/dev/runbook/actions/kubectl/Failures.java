package dev.runbook.actions.kubectl;

import dev.runbook.engine.ActionException;
import dev.runbook.kube.KubeException;

/** A Kubernetes failure as the step's one-line error, with the kind that decides retrying. */
final class Failures {
    private Failures() {
    }

    static ActionException of(KubeException e) {
        ActionException.Kind kind = switch (e.reason()) {
            // Trying again gives the same answer: a retry or an until would only wait out its time.
            case CONFIG, UNKNOWN_RESOURCE, FORBIDDEN, UNAUTHORIZED, INVALID -> ActionException.Kind.INVALID;
            case TIMEOUT -> ActionException.Kind.TIMED_OUT;
            default -> ActionException.Kind.FAILED;
        };
        return new ActionException(kind, e.getMessage());
    }
}
