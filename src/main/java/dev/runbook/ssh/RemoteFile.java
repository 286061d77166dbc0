package dev.runbook.ssh;

/**
 * A file as {@code sftp list} and {@code stat} return it (SPEC section 3).
 *
 * @param mtime seconds since the epoch
 * @param mode  permission bits as four octal digits ("0644"); null in a listing
 */
public record RemoteFile(String name, long size, long mtime, boolean dir, String mode) {
}
