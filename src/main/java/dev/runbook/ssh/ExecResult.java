package dev.runbook.ssh;

/**
 * How a remote command ended. {@code truncated}: more output came than is kept (it was still
 * shown live), so stdout/stderr hold the first 16 MiB of each.
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean truncated) {
}
