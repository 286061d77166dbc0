package dev.runbook.sandbox.kube;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.node.ObjectNode;

/**
 * The HTTP side of the API server, on Vert.x (which fabric8's mock web server also runs on, but
 * whose response model cannot stream): plain requests go to {@link KubeApi}; watches stream
 * chunked HTTP or WebSocket events; exec speaks the channel protocol over a WebSocket.
 */
final class HttpFront implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;
    private final KubeApi api;
    private final WatchHub watches;
    private final PodExec exec;

    private HttpFront(Vertx vertx, HttpServer server, KubeApi api, WatchHub watches, PodExec exec) {
        this.vertx = vertx;
        this.server = server;
        this.api = api;
        this.watches = watches;
        this.exec = exec;
    }

    static HttpFront start(KubeApi api, WatchHub watches, PodExec exec) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setBlockedThreadCheckInterval(1).setBlockedThreadCheckIntervalUnit(TimeUnit.HOURS)
                .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
                        .setClassPathResolvingEnabled(false)));
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0)
                .setHttp2ClearTextEnabled(false).setWebSocketSubProtocols(PodExec.SUB_PROTOCOLS));
        HttpFront front = new HttpFront(vertx, server, api, watches, exec);
        server.requestHandler(front::handle);
        try {
            server.listen().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new SandboxKubeException("the sandbox API server could not listen on 127.0.0.1: " + e.getMessage(), e);
        }
        api.setServerAddress("127.0.0.1:" + server.actualPort());
        return front;
    }

    int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        Map<String, List<String>> query = query(request.params());
        boolean upgrade = Optional.ofNullable(request.getHeader("Upgrade")).orElse("").toLowerCase(Locale.ROOT)
                .contains("websocket");
        Optional<RequestTarget> target = RequestTarget.parse(path, api.registry());
        if (upgrade) {
            // A WebSocket upgrade is decided before the request is read (Vert.x refuses it later).
            handleUpgrade(request, new ApiRequest(request.method().name(), path, query, null, "", null), target);
            return;
        }
        ApiRequest peek = new ApiRequest(request.method().name(), path, query, null, "", null);
        if (request.method().name().equals("GET") && target.isPresent() && target.get().subresource() == null
                && (target.get().watchPrefix() || peek.flag("watch"))) {
            chunkedWatch(request, peek, target.get());
            return;
        }
        request.body().onComplete(body -> {
            byte[] bytes = body.succeeded() && body.result() != null ? body.result().getBytes() : new byte[0];
            String contentType = request.getHeader("Content-Type");
            String text;
            if (ProtobufBodies.isProtobuf(contentType) && bytes.length > 0) {
                try {
                    text = Json.write(ProtobufBodies.toJson(bytes));
                    contentType = ApiResponse.JSON;
                } catch (ProtobufBodies.Unsupported e) {
                    send(request.response(), ApiResponse.status(415, "UnsupportedMediaType", e.getMessage()));
                    return;
                }
            } else {
                text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
            ApiRequest apiRequest = new ApiRequest(request.method().name(), path, query, contentType, text,
                    request.getHeader("Accept"));
            send(request.response(), api.handle(apiRequest));
        });
    }

    private void handleUpgrade(HttpServerRequest request, ApiRequest apiRequest, Optional<RequestTarget> target) {
        if (target.isPresent() && "exec".equals(target.get().subresource())
                && target.get().type().plural().equals("pods") && target.get().type().group().isEmpty()) {
            execOverWebSocket(request, apiRequest, target.get());
        } else if (target.isPresent() && target.get().subresource() == null
                && (target.get().watchPrefix() || apiRequest.flag("watch"))) {
            webSocketWatch(request, apiRequest, target.get());
        } else {
            request.body().onComplete(ignored -> send(request.response(), api.handle(apiRequest)));
        }
    }

    private void execOverWebSocket(HttpServerRequest request, ApiRequest apiRequest, RequestTarget target) {
        Optional<ObjectNode> pod = api.store().get(target);
        if (pod.isEmpty()) {
            send(request.response(), ApiResponse.notFound("pods \"" + target.name() + "\" not found"));
            return;
        }
        String container = KubeApi.containerOf(pod.get(), apiRequest.param("container"));
        List<String> command = apiRequest.params("command");
        if (container == null || command.isEmpty()) {
            send(request.response(), ApiResponse.badRequest(container == null
                    ? "container " + apiRequest.param("container") + " is not valid for pod " + target.name()
                    : "exec needs a command"));
            return;
        }
        ExecAnswers.ExecResult result;
        try {
            result = exec.answer(target.namespace(), target.name(), container, command);
        } catch (RuntimeException e) {
            result = new ExecAnswers.ExecResult("", "sandbox: the exec answer failed: " + e.getMessage() + "\n", 1);
        }
        ExecAnswers.ExecResult answer = result;
        boolean stdout = !"false".equals(apiRequest.param("stdout"));
        boolean stderr = !"false".equals(apiRequest.param("stderr"));
        request.toWebSocket().onSuccess(socket -> exec.serve(vertx, socket, answer, stdout, stderr))
                .onFailure(e -> request.response().setStatusCode(500).end());
    }

    private void webSocketWatch(HttpServerRequest request, ApiRequest apiRequest, RequestTarget target) {
        request.toWebSocket().onSuccess(socket -> {
            WatchHub.Watcher watcher = new WatchHub.Watcher(target, KubeApi.filter(apiRequest),
                    new WebSocketSink(socket));
            socket.closeHandler(v -> watches.remove(watcher));
            subscribe(watcher, apiRequest);
        });
    }

    private void chunkedWatch(HttpServerRequest request, ApiRequest apiRequest, RequestTarget target) {
        HttpServerResponse response = request.response();
        WatchHub.Watcher watcher;
        try {
            watcher = new WatchHub.Watcher(target, KubeApi.filter(apiRequest), tableOr(new ChunkedSink(response),
                    request.getHeader("Accept"), target, apiRequest));
        } catch (Json.BadRequest e) {
            send(response, ApiResponse.badRequest(e.getMessage()));
            return;
        }
        response.setChunked(true).putHeader("Content-Type", ApiResponse.JSON);
        // Headers go out now, as the API server sends them: a client waits for them before it
        // goes on (kubectl, and fabric8's HTTP watch, return from "watch" only then).
        response.writeHead();
        response.closeHandler(v -> watches.remove(watcher));
        subscribe(watcher, apiRequest);
        String timeout = apiRequest.param("timeoutSeconds");
        if (timeout != null && timeout.matches("\\d+") && Long.parseLong(timeout) > 0) {
            vertx.setTimer(TimeUnit.SECONDS.toMillis(Long.parseLong(timeout)), id -> {
                watches.remove(watcher);
                watcher.sink().close();
            });
        }
    }

    /** kubectl get -w asks for Tables on its watch too. */
    private WatchHub.Sink tableOr(WatchHub.Sink sink, String accept, RequestTarget target, ApiRequest apiRequest) {
        return Tables.wanted(accept).<WatchHub.Sink>map(v -> new TableWatchSink(sink, api.tables(), target.type(), v,
                apiRequest.param("includeObject"))).orElse(sink);
    }

    private void subscribe(WatchHub.Watcher watcher, ApiRequest apiRequest) {
        try {
            watches.subscribe(watcher, apiRequest.param("resourceVersion"));
        } catch (Json.BadRequest e) {
            watcher.sink().send(WatchHub.event("ERROR",
                    Json.parse(ApiResponse.badRequest(e.getMessage()).body())));
            watcher.sink().close();
        }
    }

    private static void send(HttpServerResponse response, ApiResponse answer) {
        response.setStatusCode(answer.code()).putHeader("Content-Type", answer.contentType()).end(answer.body());
    }

    private static Map<String, List<String>> query(MultiMap params) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String name : params.names()) {
            query.put(name, new ArrayList<>(params.getAll(name)));
        }
        return query;
    }

    @Override
    public void close() {
        watches.closeAll();
        try {
            server.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        try {
            vertx.close().await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the event loop threads are daemons; nothing else to release
        }
    }

    private record ChunkedSink(HttpServerResponse response) implements WatchHub.Sink {
        @Override
        public boolean send(String event) {
            if (response.closed() || response.ended()) {
                return false;
            }
            response.write(event + "\n");
            return true;
        }

        @Override
        public void close() {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        }
    }

    private record WebSocketSink(ServerWebSocket socket) implements WatchHub.Sink {
        @Override
        public boolean send(String event) {
            if (socket.isClosed()) {
                return false;
            }
            socket.writeTextMessage(event);
            return true;
        }

        @Override
        public void close() {
            if (!socket.isClosed()) {
                socket.close();
            }
        }
    }
}
