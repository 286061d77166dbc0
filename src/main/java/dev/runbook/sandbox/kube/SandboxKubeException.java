package dev.runbook.sandbox.kube;

/** A problem of the sandbox's API server a user can act on: its message is one line, shown as is. */
public final class SandboxKubeException extends RuntimeException {
    public SandboxKubeException(String message) {
        super(message);
    }

    public SandboxKubeException(String message, Throwable cause) {
        super(message, cause);
    }
}
