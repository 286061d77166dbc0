package dev.runbook.sandbox.kube;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code pods/NAME/exec} over a WebSocket with the Kubernetes channel protocol (v4/v5): each
 * binary message starts with its channel (1 stdout, 2 stderr, 3 the final Status). The command
 * is never run: {@link ExecAnswers} says what it printed and how it exited.
 */
final class PodExec {
    static final List<String> SUB_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io",
            "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");
    private static final int STDOUT = 1;
    private static final int STDERR = 2;
    private static final int ERROR = 3;

    private final ExecAnswers answers;

    PodExec(ExecAnswers answers) {
        this.answers = answers;
    }

    /** The answer to a command, or the sandbox's "no answer" (exit 127). */
    ExecAnswers.ExecResult answer(String namespace, String pod, String container, List<String> command) {
        return answers.answer(namespace, pod, container, command).orElseGet(() -> new ExecAnswers.ExecResult("",
                "sandbox: no exec answer for '" + String.join(" ", command) + "' in pod " + pod
                        + " (add one to sandbox.yaml)\n", 127));
    }

    /**
     * Sends the output at once and the exit after the answer's delay, so a client sees a command
     * that is still running (its live output, its timeout). A client that closes the socket
     * first ends the command: nothing more is sent.
     */
    void serve(Vertx vertx, ServerWebSocket socket, ExecAnswers.ExecResult result, boolean stdout, boolean stderr) {
        if (stdout && !result.stdout().isEmpty()) {
            socket.writeBinaryMessage(frame(STDOUT, result.stdout()));
        }
        if (stderr && !result.stderr().isEmpty()) {
            socket.writeBinaryMessage(frame(STDERR, result.stderr()));
        }
        if (result.delay().isZero()) {
            exit(socket, result.exitCode());
            return;
        }
        long timer = vertx.setTimer(Math.max(1, result.delay().toMillis()), id -> exit(socket, result.exitCode()));
        socket.closeHandler(v -> vertx.cancelTimer(timer));
    }

    private static void exit(ServerWebSocket socket, int exitCode) {
        if (socket.isClosed()) {
            return;
        }
        socket.writeBinaryMessage(frame(ERROR, Json.write(finalStatus(exitCode))));
        socket.close((short) 1000);
    }

    static ObjectNode finalStatus(int exitCode) {
        if (exitCode == 0) {
            ObjectNode success = Json.object();
            success.putObject("metadata");
            return success.put("status", "Success");
        }
        ObjectNode failure = Json.object();
        failure.putObject("metadata");
        failure.put("status", "Failure")
                .put("message", "command terminated with non-zero exit code: exit code " + exitCode)
                .put("reason", "NonZeroExitCode");
        failure.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                .put("message", String.valueOf(exitCode));
        return failure;
    }

    private static Buffer frame(int channel, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Buffer buffer = Buffer.buffer(bytes.length + 1);
        buffer.appendByte((byte) channel);
        buffer.appendBytes(bytes);
        return buffer;
    }
}
