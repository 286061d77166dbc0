package dev.runbook.runbooktest;

import java.io.Writer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A run's console, captured: the last {@value #KEPT_LINES} lines of what the run printed,
 * enough for the tail a failure shows. Each test has its own; a run's parallel steps may write
 * from several threads.
 */
final class ConsoleTail extends Writer {
    /** Console lines kept per run. */
    static final int KEPT_LINES = 200;

    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder current = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            char c = buf[i];
            if (c == '\n') {
                endLine();
            } else if (c != '\r') {
                current.append(c);
            }
        }
    }

    private void endLine() {
        lines.addLast(current.toString());
        current.setLength(0);
        if (lines.size() > KEPT_LINES) {
            lines.removeFirst();
        }
    }

    /** A line the test runner adds after the run's own (why it was stopped). */
    synchronized void add(String line) {
        if (!current.isEmpty()) {
            endLine();
        }
        lines.addLast(line);
    }

    /** The lines kept, an unfinished last line included. */
    synchronized List<String> lines() {
        List<String> all = new ArrayList<>(lines);
        if (!current.isEmpty()) {
            all.add(current.toString());
        }
        return all.subList(Math.max(0, all.size() - KEPT_LINES), all.size());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
