package dev.runbook.sandbox.kube;

import java.util.List;
import java.util.Optional;

/**
 * Answers a command run in a pod ({@code kubectl exec}): the sandbox never runs it. Empty means
 * "no answer", which the server turns into exit 127 and a message naming sandbox.yaml. Called
 * on the server's I/O thread: it must be quick (look the answer up, run nothing).
 */
@FunctionalInterface
public interface ExecAnswers {
    Optional<ExecResult> answer(String namespace, String pod, String container, List<String> command);

    /**
     * What a command printed and how it ended.
     *
     * @param delay how long the command runs: the output is sent at once, the exit after this
     */
    record ExecResult(String stdout, String stderr, int exitCode, java.time.Duration delay) {
        public ExecResult {
            stdout = stdout == null ? "" : stdout;
            stderr = stderr == null ? "" : stderr;
            delay = delay == null || delay.isNegative() ? java.time.Duration.ZERO : delay;
        }

        public ExecResult(String stdout, String stderr, int exitCode) {
            this(stdout, stderr, exitCode, java.time.Duration.ZERO);
        }
    }

    ExecAnswers NONE = (namespace, pod, container, command) -> Optional.empty();
}
