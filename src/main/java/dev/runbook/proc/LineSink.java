package dev.runbook.proc;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The stream a process's stdout or stderr is pumped into: keeps the text for the result (up
 * to a limit, so a runaway process cannot exhaust memory) and hands every complete line to an
 * {@link OutputListener} as soon as it arrives. Bytes are split on '\n' before decoding, so a
 * UTF-8 character cut across two reads is never garbled.
 */
public final class LineSink extends OutputStream {
    /** Captured text kept per stream; the rest is still shown live but not kept. */
    static final int MAX_CAPTURE = 16 * 1024 * 1024;
    /** A "line" longer than this is delivered in pieces. */
    private static final int MAX_LINE = 64 * 1024;

    private final boolean stderr;
    private final OutputListener listener;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean truncated;
    private boolean detached;

    public LineSink(boolean stderr, OutputListener listener) {
        this.stderr = stderr;
        this.listener = listener;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        if (detached) {
            return;
        }
        int keep = Math.min(len, MAX_CAPTURE - captured.size());
        if (keep > 0) {
            captured.write(b, off, keep);
        }
        if (keep < len) {
            truncated = true;
        }
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                line.write(b, start, i - start);
                emit();
                start = i + 1;
            }
        }
        line.write(b, start, off + len - start);
        if (line.size() > MAX_LINE) {
            emit();
        }
    }

    private void emit() {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.endsWith("\r")) {
            s = s.substring(0, s.length() - 1);
        }
        listener.line(s, stderr);
    }

    /** Delivers a last line that had no newline. */
    public synchronized void finish() {
        if (line.size() > 0) {
            emit();
        }
    }

    /** Output that still arrives after the step ended (a background process) is dropped. */
    public synchronized void detach() {
        detached = true;
    }

    public synchronized String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    public synchronized boolean truncated() {
        return truncated;
    }
}
