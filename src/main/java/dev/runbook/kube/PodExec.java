package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import dev.runbook.proc.LineSink;
import dev.runbook.proc.OutputListener;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.TtyExecOutputErrorable;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kubectl exec}: checks that the pod and container are running (so the operator reads
 * "not running" rather than a WebSocket error), then runs the command through fabric8's exec
 * protocol. Without a container, the pod's default container is used, as kubectl does.
 */
final class PodExec {
    private static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";

    private final KubeConnection connection;

    PodExec(KubeConnection connection) {
        this.connection = connection;
    }

    /**
     * Runs the command; {@code lines} hears each line of output as it arrives. A timeout or an
     * interrupt of the calling thread closes the exec (the server ends the command) at once.
     */
    Map<String, Object> run(String pod, String container, List<String> command, String stdin, String ns, Duration timeout,
            OutputListener lines) {
        if (command == null || command.isEmpty()) {
            throw new KubeException(Reason.INVALID, "exec needs a command");
        }
        Object live = connection.get("/api/v1/namespaces/" + ApiResource.segment(ns) + "/pods/" + ApiResource.segment(pod),
                new Operation("get", "pods", pod, ns));
        String chosen = containerOf(live, pod, container);
        checkRunning(live, pod, chosen, ns);

        LineSink out = new LineSink(false, lines);
        LineSink err = new LineSink(true, lines);
        ContainerResource target;
        try {
            target = connection.fabric8().pods().inNamespace(ns).withName(pod).inContainer(chosen);
        } catch (RuntimeException e) {
            throw ApiErrors.fromFailure(e, connection.server());
        }
        TtyExecOutputErrorable withInput = stdin == null ? target
                : target.readingInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        ExecWatch watch;
        try {
            watch = withInput.writingOutput(out).writingError(err).exec(command.toArray(String[]::new));
        } catch (RuntimeException e) {
            throw ApiErrors.fromFailure(e, connection.server());
        }
        try (watch) {
            Integer code = timeout == null ? watch.exitCode().get() : watch.exitCode().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            out.finish();
            err.finish();
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("stdout", out.text());
            result.put("stderr", err.text());
            result.put("exitCode", code == null ? -1L : code.longValue());
            return result;
        } catch (TimeoutException e) {
            throw new KubeException(Reason.TIMEOUT, "command in pod " + pod + " did not finish within " + timeout.toSeconds() + "s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubeException(Reason.INTERRUPTED, "interrupted while running a command in pod " + pod);
        } catch (ExecutionException e) {
            throw ApiErrors.fromFailure(e, connection.server());
        } finally {
            // Output the closing socket still delivers belongs to no step any more.
            out.detach();
            err.detach();
        }
    }

    private static String containerOf(Object pod, String podName, String wanted) {
        List<String> names = new ArrayList<>();
        if (KubeValues.at(pod, "spec.containers") instanceof List<?> containers) {
            containers.forEach(c -> names.add(KubeValues.string(c, "name")));
        }
        if (wanted != null && !wanted.isBlank()) {
            if (!names.isEmpty() && !names.contains(wanted)) {
                throw new KubeException(Reason.NOT_FOUND, "pod " + podName + " has no container " + wanted
                        + " (containers: " + String.join(", ", names) + ")");
            }
            return wanted;
        }
        String annotated = KubeValues.at(pod, "metadata.annotations") instanceof Map<?, ?> a
                && a.get(DEFAULT_CONTAINER) instanceof String s ? s : null;
        if (annotated != null && names.contains(annotated)) {
            return annotated;
        }
        if (names.isEmpty()) {
            throw new KubeException(Reason.INVALID, "pod " + podName + " has no containers");
        }
        return names.get(0);
    }

    private static void checkRunning(Object pod, String podName, String container, String ns) {
        String phase = KubeValues.string(pod, "status.phase");
        if (!"Running".equals(phase)) {
            throw new KubeException(Reason.NOT_RUNNING, "cannot exec in pod " + podName + " in namespace " + ns + ": it is "
                    + (phase == null ? "in no known phase" : phase) + ", not Running");
        }
        if (KubeValues.at(pod, "status.containerStatuses") instanceof List<?> statuses) {
            for (Object s : statuses) {
                if (container.equals(KubeValues.string(s, "name")) && KubeValues.at(s, "state.running") == null) {
                    Object waiting = KubeValues.string(s, "state.waiting.reason");
                    Object terminated = KubeValues.string(s, "state.terminated.reason");
                    String why = waiting != null ? "waiting: " + waiting : terminated != null ? "terminated: " + terminated : "not started";
                    throw new KubeException(Reason.NOT_RUNNING, "cannot exec in container " + container + " of pod " + podName
                            + " in namespace " + ns + ": it is not running (" + why + ")");
                }
            }
        }
    }
}
