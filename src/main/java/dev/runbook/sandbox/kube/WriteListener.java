package dev.runbook.sandbox.kube;

/** Told of every write the API server accepts, in order, before the client sees the answer. */
@FunctionalInterface
public interface WriteListener {
    void onWrite(KubeWrite write);

    WriteListener NONE = write -> {
    };
}
