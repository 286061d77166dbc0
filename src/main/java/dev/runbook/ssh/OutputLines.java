package dev.runbook.ssh;

import dev.runbook.proc.OutputListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where JSch writes a remote command's stdout or stderr: hands each complete line to the
 * listener as it arrives and keeps the text for the result (up to a limit). On stderr it
 * takes out the wrapper's process-group line, which is not the command's output. Bytes are
 * split on '\n' before decoding, so a UTF-8 character cut across two packets is not garbled.
 */
final class OutputLines extends OutputStream {
    static final int MAX_CAPTURE = 16 * 1024 * 1024;
    private static final int MAX_LINE = 64 * 1024;

    private final boolean stderr;
    private final OutputListener listener;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean truncated;
    private volatile long processGroup = -1;

    OutputLines(boolean stderr, OutputListener listener) {
        this.stderr = stderr;
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i - start);
                emit(true);
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
        if (line.size() > MAX_LINE) {
            emit(false);
        }
    }

    private void emit(boolean newline) {
        byte[] bytes = line.toByteArray();
        line.reset();
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (stderr && processGroup < 0 && newline) {
            long g = RemoteCommandLine.processGroup(s);
            if (g > 0) {
                processGroup = g;
                return;
            }
        }
        int keep = Math.min(bytes.length + (newline ? 1 : 0), MAX_CAPTURE - captured.size());
        if (keep > 0) {
            captured.write(bytes, 0, Math.min(bytes.length, keep));
            if (newline && keep > bytes.length) {
                captured.write('\n');
            }
        }
        if (keep < bytes.length + (newline ? 1 : 0)) {
            truncated = true;
        }
        listener.line(s.endsWith("\r") ? s.substring(0, s.length() - 1) : s, stderr);
    }

    /** Delivers a last line that had no newline. */
    synchronized void finish() {
        if (line.size() > 0) {
            emit(false);
        }
    }

    /** The command's process group on the host, once the wrapper announced it; else -1. */
    long processGroup() {
        return processGroup;
    }

    synchronized String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    synchronized boolean truncated() {
        return truncated;
    }
}
