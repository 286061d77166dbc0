package dev.runbook.sandbox.ssh;

import java.util.Optional;

/**
 * How a simulated host answers the commands sent to it. A command is never run on this machine:
 * its text is handed to this callback, which decides what it prints and how it exits (the
 * sandbox matches it against the {@code exec:} rules of {@code sandbox.yaml}).
 */
@FunctionalInterface
public interface CommandAnswers {
    /** The answer to this command, or empty when no rule answers it. */
    Optional<CommandAnswer> answer(ExecRequest request);

    /** No rule at all: every command exits 127 with the message naming sandbox.yaml. */
    static CommandAnswers none() {
        return request -> Optional.empty();
    }

    /** The answer, or the standard "no exec answer" one. */
    default CommandAnswer answerOrDefault(ExecRequest request) {
        return answer(request).orElseGet(() -> CommandAnswer.unanswered(request.host(), request.command()));
    }
}
