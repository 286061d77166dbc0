package dev.runbook.sandbox;

import dev.runbook.sandbox.SandboxConfig.ExecRule;
import dev.runbook.sandbox.SandboxConfig.LogRule;
import dev.runbook.sandbox.kube.ExecAnswers;
import dev.runbook.sandbox.kube.LogAnswers;
import dev.runbook.sandbox.ssh.CommandAnswer;
import dev.runbook.sandbox.ssh.CommandAnswers;
import java.util.Optional;

/** sandbox.yaml's exec and logs rules as the API server's and the SSH hosts' answers: first match wins. */
final class RuleAnswers {
    private RuleAnswers() {
    }

    static ExecAnswers pods(SandboxConfig config) {
        return (namespace, pod, container, command) -> {
            String text = String.join(" ", command);
            for (ExecRule r : config.exec()) {
                if (r.pod() != null && r.pod().matches(pod) && containerMatches(r.container(), container)
                        && found(r, text)) {
                    return Optional.of(new ExecAnswers.ExecResult(r.stdout(), r.stderr(), r.exitCode(), r.delay()));
                }
            }
            return Optional.empty();
        };
    }

    static CommandAnswers hosts(SandboxConfig config) {
        return request -> {
            for (ExecRule r : config.exec()) {
                if (r.host() != null && r.host().equalsIgnoreCase(request.host()) && found(r, request.command())) {
                    return Optional.of(CommandAnswer.of(nz(r.stdout()), nz(r.stderr()), r.exitCode()));
                }
            }
            return Optional.empty();
        };
    }

    static LogAnswers logs(SandboxConfig config) {
        return (namespace, pod, container) -> {
            for (LogRule r : config.logs()) {
                if (r.pod().matches(pod) && containerMatches(r.container(), container)) {
                    return Optional.ofNullable(r.text());
                }
            }
            return Optional.empty();
        };
    }

    /** A rule without a container answers every container; a request without one matches any rule's. */
    private static boolean containerMatches(String wanted, String container) {
        return wanted == null || container == null || container.isEmpty() || wanted.equals(container);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static boolean found(ExecRule r, String text) {
        return r.match() == null || r.match().matcher(text == null ? "" : text).find();
    }

}
