package dev.runbook.sandbox.kube;

/**
 * Told of every write the API server accepts, in order, before the client sees the answer. It is
 * called on the server's I/O thread with the cluster locked: it must be quick and must not call
 * the server back.
 */
@FunctionalInterface
public interface WriteListener {
    void onWrite(KubeWrite write);

    WriteListener NONE = write -> {
    };
}
