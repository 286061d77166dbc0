package dev.runbook.ssh;

/** What an sftp get or put did: {@code to} is the file's final path (inside a directory given as {@code to}). */
public record Transfer(String from, String to, long bytes) {
}
