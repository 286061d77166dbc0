package dev.runbook.actions.kubectl;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.kube.KubeException;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.lang.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A command in a pod as a step runs it, for both {@code kubectl exec} and {@code shell on: {pod}}:
 * its output lines reach the console as they arrive (as a local process's do), and the step's
 * timeout or an interruption (Ctrl-C) closes the exec at once, ending the command.
 */
final class PodCommands {
    private PodCommands() {
    }

    /** {@code {stdout, stderr, exitCode}}; {@code name} says what ran, for the timeout message. */
    static Map<String, Object> run(ActionContext ctx, KubeVerbs verbs, String pod, String container, List<String> argv,
                                   String stdin, String namespace, String name) throws ActionException, InterruptedException {
        Thread self = Thread.currentThread();
        Duration remaining = ctx.remaining();
        try (AutoCloseable stop = ctx.run().onInterrupt(self::interrupt)) {
            return verbs.exec(pod, container, argv, stdin, namespace, remaining, ctx.output());
        } catch (KubeException e) {
            if (e.reason() == KubeException.Reason.TIMEOUT) {
                // Said with the step's timeout as written, not the few milliseconds that were left of it.
                throw new ActionException(ActionException.Kind.TIMED_OUT, name + " timed out after "
                        + Durations.format(ctx.timeout() != null ? ctx.timeout() : remaining) + "; the exec was closed");
            }
            throw KubectlInvocation.interruptedOr(e);
        } catch (ActionException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // onInterrupt's handle only removes an entry: never thrown
        }
    }
}
