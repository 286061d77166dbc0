package dev.runbook.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * Pumps a process's stdout and stderr into {@link LineSink}s and writes its stdin, on threads
 * shared by every process of the JVM. commons-exec's {@code PumpStreamHandler} starts two or
 * three new threads per process; for a runbook of a thousand short steps that is a visible
 * part of the cost. Also decides what happens when the process has exited but a background
 * child still holds its output open: wait {@code drain}, then stop listening and say so.
 */
final class PooledStreams implements ExecuteStreamHandler {
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "runbook-output");
        t.setDaemon(true);
        return t;
    });

    private final LineSink out;
    private final LineSink err;
    private final byte[] stdin;
    private final Duration drain;
    private InputStream processOut;
    private InputStream processErr;
    private OutputStream processIn;
    private Future<?> outPump;
    private Future<?> errPump;
    private volatile boolean lingering;

    PooledStreams(LineSink out, LineSink err, byte[] stdin, Duration drain) {
        this.out = out;
        this.err = err;
        this.stdin = stdin;
        this.drain = drain;
    }

    @Override
    public void setProcessInputStream(OutputStream os) {
        processIn = os;
    }

    @Override
    public void setProcessErrorStream(InputStream is) {
        processErr = is;
    }

    @Override
    public void setProcessOutputStream(InputStream is) {
        processOut = is;
    }

    @Override
    public void start() {
        outPump = PUMPS.submit(() -> pump(processOut, out));
        errPump = PUMPS.submit(() -> pump(processErr, err));
        if (stdin == null) {
            closeQuietly(processIn); // nothing to read: the process sees end of input at once
        } else {
            PUMPS.submit(() -> {
                try (OutputStream o = processIn) {
                    o.write(stdin);
                } catch (IOException e) {
                    // the process did not read all of its input: its own business
                }
            });
        }
    }

    private static void pump(InputStream in, LineSink sink) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                sink.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the stream was closed under us: the step is over
        }
    }

    /** Called once the process has exited: waits for the rest of its output, within reason. */
    @Override
    public void stop() {
        long until = System.nanoTime() + drain.toNanos();
        for (Future<?> f : new Future<?>[] {outPump, errPump}) {
            if (f == null) {
                continue;
            }
            try {
                f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                lingering = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                // pump() handles its own errors
            }
        }
    }

    /** True when a background process kept the output open after the process exited. */
    boolean lingering() {
        return lingering;
    }

    private static void closeQuietly(OutputStream o) {
        if (o != null) {
            try {
                o.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
