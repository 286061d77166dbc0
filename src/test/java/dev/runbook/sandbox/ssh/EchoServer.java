package dev.runbook.sandbox.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A TCP echo server on one loopback address, counting the connections it accepted. */
final class EchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final AtomicInteger accepted = new AtomicInteger();

    EchoServer(String loopbackAddress) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getByName(loopbackAddress));
        Thread.ofVirtual().name("echo-" + loopbackAddress).start(this::serve);
    }

    int port() {
        return socket.getLocalPort();
    }

    int accepted() {
        return accepted.get();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> echo(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void echo(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // the other end went away
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
