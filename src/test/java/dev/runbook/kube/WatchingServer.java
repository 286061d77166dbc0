package dev.runbook.kube;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A minimal API server that serves one ConfigMap and a chunked watch on it, as a real API
 * server does (fabric8's mock only watches over WebSockets): each change is one event line.
 */
final class WatchingServer implements AutoCloseable {
    private final HttpServer server;
    private volatile String restore = "running";
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final CountDownLatch watchOpened = new CountDownLatch(1);
    volatile String watchQuery;

    WatchingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "watching-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1", this::handle);
        server.createContext("/apis", ex -> reply(ex, "{\"kind\":\"APIGroupList\",\"groups\":[]}"));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void change(String value) {
        restore = value;
        events.add("{\"type\":\"MODIFIED\",\"object\":" + configMap() + "}\n");
    }

    private String configMap() {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"flag\",\"namespace\":\"apiconnect\"},"
                + "\"data\":{\"restore\":\"" + restore + "\"}}";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        if (path.equals("/api/v1")) {
            reply(ex, MockCluster.CORE);
        } else if (path.equals("/api/v1/namespaces/apiconnect/configmaps/flag")) {
            reply(ex, configMap());
        } else if (path.equals("/api/v1/namespaces/apiconnect/configmaps") && query != null && query.contains("watch=true")) {
            watchQuery = query;
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                watchOpened.countDown();
                while (true) {
                    String event = events.poll(60, TimeUnit.SECONDS);
                    if (event == null) {
                        return;
                    }
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (InterruptedException | IOException e) {
                // the client went away or the server stops
            }
        } else {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
