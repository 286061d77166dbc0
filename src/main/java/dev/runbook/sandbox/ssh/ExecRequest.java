package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One command a client asked a simulated host to run: the host's name, the command text exactly
 * as the client sent it (a {@code bash -eu -o pipefail -c '...'} line stays one string, quotes
 * and all), and what the client sends on the command's standard input.
 *
 * <p>Standard input is read only when {@link #stdin()} is called, as a real command reads its
 * input only if it needs it: an answer that ignores stdin is given at once, even to a client
 * that keeps its input open (JSch without an input stream never closes it).
 */
public final class ExecRequest {
    private final String host;
    private final String command;
    private final InputStream input;
    private byte[] stdin;

    ExecRequest(String host, String command, InputStream input) {
        this.host = Objects.requireNonNull(host, "host");
        this.command = Objects.requireNonNull(command, "command");
        this.input = Objects.requireNonNull(input, "input");
    }

    /** A request with a known standard input, for answers tested without a server. */
    public static ExecRequest of(String host, String command, byte[] stdin) {
        ExecRequest request = new ExecRequest(host, command, InputStream.nullInputStream());
        request.stdin = stdin.clone();
        return request;
    }

    public String host() {
        return host;
    }

    public String command() {
        return command;
    }

    /**
     * Everything the client sends on standard input, up to the moment it closes it. Blocks until
     * then, as {@code cat} on a real host would.
     */
    public synchronized byte[] stdin() {
        if (stdin == null) {
            try {
                stdin = input.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException("sandbox: reading the standard input of '" + command
                        + "' on host " + host + " failed: " + e.getMessage(), e);
            }
        }
        return stdin.clone();
    }

    @Override
    public String toString() {
        return "ExecRequest[host=" + host + ", command=" + command + "]";
    }
}
