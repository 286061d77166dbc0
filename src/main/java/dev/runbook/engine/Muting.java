package dev.runbook.engine;

import dev.runbook.proc.OutputListener;

/** Live output that an until loop can silence between its first and its last attempt. */
final class Muting implements OutputListener {
    private final OutputListener target;
    private volatile boolean muted;

    Muting(OutputListener target) {
        this.target = target;
    }

    void mute(boolean m) {
        muted = m;
    }

    @Override
    public void line(String line, boolean stderr) {
        if (!muted) {
            target.line(line, stderr);
        }
    }
}
