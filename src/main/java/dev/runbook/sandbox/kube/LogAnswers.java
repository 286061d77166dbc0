package dev.runbook.sandbox.kube;

import java.util.Optional;

/** Answers {@code kubectl logs} for a pod's container; empty means the container logged nothing. */
@FunctionalInterface
public interface LogAnswers {
    Optional<String> logs(String namespace, String pod, String container);

    LogAnswers NONE = (namespace, pod, container) -> Optional.empty();
}
