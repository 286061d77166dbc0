package dev.runbook.sandbox.ssh;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a simulated command printed and how it exited. Output is bytes because a command's
 * output is bytes; most answers come from text in {@code sandbox.yaml}, hence {@link #of}.
 */
public record CommandAnswer(byte[] stdout, byte[] stderr, int exitCode) {
    /** The exit status a shell gives a command it cannot find, which is what a missing answer is. */
    public static final int NOT_FOUND = 127;

    public CommandAnswer {
        stdout = Objects.requireNonNull(stdout, "stdout").clone();
        stderr = Objects.requireNonNull(stderr, "stderr").clone();
        if (exitCode < 0 || exitCode > 255) {
            throw new IllegalArgumentException("an exit code is between 0 and 255, not " + exitCode);
        }
    }

    public static CommandAnswer of(String stdout, String stderr, int exitCode) {
        return new CommandAnswer(
                stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8), exitCode);
    }

    /** The answer to a command that no rule of the sandbox answers. */
    public static CommandAnswer unanswered(String host, String command) {
        return of("", "sandbox: no exec answer for '" + command + "' on host " + host
                + " (add one to sandbox.yaml)\n", NOT_FOUND);
    }

    @Override
    public byte[] stdout() {
        return stdout.clone();
    }

    @Override
    public byte[] stderr() {
        return stderr.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CommandAnswer that
                && exitCode == that.exitCode
                && Arrays.equals(stdout, that.stdout)
                && Arrays.equals(stderr, that.stderr);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(stdout) + Arrays.hashCode(stderr)) + exitCode;
    }

    @Override
    public String toString() {
        return "CommandAnswer[exitCode=" + exitCode + ", stdout=" + stdout.length + " bytes, stderr="
                + stderr.length + " bytes]";
    }
}
