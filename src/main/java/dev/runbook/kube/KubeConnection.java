package dev.runbook.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.Closeable;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An open connection to one API server: fabric8's HTTP client (TLS, client certificates, tokens
 * and exec credential plugins as the kubeconfig says) with plain JSON requests on top.
 *
 * <p>Requests go through the HTTP client directly rather than fabric8's typed DSL: building a
 * {@code KubernetesClient} loads its serialization machinery and DSL classes, which costs about a
 * second at start. That client is built only for what needs its protocol (exec), on
 * first use.
 */
public final class KubeConnection implements Closeable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Config config;
    private final HttpClient http;
    private final String namespace;
    private final String server;
    private final ApiResources resources = new ApiResources(this);
    private final ClosableJdkClients clients = new ClosableJdkClients();
    private KubernetesClient fabric8;

    KubeConnection(Config config, String namespace) {
        this.config = config;
        this.namespace = namespace;
        String url = config.getMasterUrl();
        this.server = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.http = httpClient(clients, config, server);
    }

    /**
     * fabric8's JDK HTTP client for the connection. A plain {@code http://} server (the sandbox's,
     * a tunnel's local end) never negotiates TLS, yet the JDK client wants a TLS context and
     * fabric8 builds one from the JDK's trust store: parsing {@code cacerts} and setting TLS up
     * cost tens of milliseconds of a cold start for nothing. Such a connection gets a TLS
     * context that trusts no certificate (a redirect to {@code https} fails rather than trusting
     * blindly) and speaks HTTP/1.1 as kubectl does over plain HTTP, without the HTTP/2 upgrade
     * attempt that the JDK client makes otherwise.
     */
    static HttpClient httpClient(JdkHttpClientFactory factory, Config config, String server) {
        if (!server.regionMatches(true, 0, "http://", 0, 7)) {
            return factory.newBuilder(config).build();
        }
        boolean trustCerts = config.isTrustCerts();
        // fabric8 reads the trust store unless told to trust every certificate; its trust-all
        // manager is replaced below before anything could use it.
        config.setTrustCerts(true);
        try {
            HttpClient.Builder builder = factory.newBuilder(config);
            builder.sslContext(null, new TrustManager[] {NoCertificates.INSTANCE});
            builder.preferHttp11();
            return builder.build();
        } finally {
            config.setTrustCerts(trustCerts);
        }
    }

    /** The trust manager of a plain-HTTP connection: no certificate is ever trusted. */
    private enum NoCertificates implements X509TrustManager {
        INSTANCE;

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a plain http connection trusts no certificate");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a plain http connection trusts no certificate");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** The namespace used when a verb names none. */
    public String namespace() {
        return namespace;
    }

    /** The API server's URL, as shown in messages. */
    public String server() {
        return server;
    }

    /** The kubeconfig context in use, or null when the connection was made without one. */
    public String context() {
        return config.getCurrentContext() == null ? null : config.getCurrentContext().getName();
    }

    public ApiResources apiResources() {
        return resources;
    }

    String namespaceOr(String ns) {
        return ns == null || ns.isBlank() ? namespace : ns;
    }

    /** GET a JSON document. */
    Object get(String path, Operation op) {
        return send("GET", path, null, null, op);
    }

    /** A request with an optional JSON/YAML body; the answer parsed, or a KubeException. */
    Object send(String method, String path, String contentType, String body, Operation op) {
        HttpResponse<String> response = exchange(method, path, contentType, body, DEFAULT_TIMEOUT);
        return KubeValues.parseJson(check(response, op));
    }

    /** A text answer (logs), or a KubeException. */
    String text(String path, Operation op, Duration timeout) {
        return check(exchange("GET", path, null, null, timeout), op);
    }

    /** A GET that does not block: for reading many discovery documents at once. */
    CompletableFuture<Object> getAsync(String path, Operation op) {
        return http.sendAsync(request("GET", path, null, null, DEFAULT_TIMEOUT), String.class)
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw ApiErrors.fromFailure(failure, server);
                    }
                    return KubeValues.parseJson(check(response, op));
                });
    }

    /**
     * A streaming GET (a watch): {@code onData} runs for every chunk received, {@code onEnd} once
     * when the stream ends for any reason. Closing the handle cancels the stream.
     */
    Closeable stream(String path, Runnable onData, Runnable onEnd) {
        HttpRequest request = http.newHttpRequestBuilder().uri(server + path).forStreaming()
                .header("Accept", "application/json").build();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable endOnce = () -> {
            if (ended.compareAndSet(false, true)) {
                onEnd.run();
            }
        };
        CompletableFuture<HttpResponse<io.fabric8.kubernetes.client.http.AsyncBody>> future = http.consumeBytes(request,
                (buffers, body) -> {
                    onData.run();
                    body.consume();
                });
        future.whenComplete((response, failure) -> {
            if (failure != null || !response.isSuccessful()) {
                if (response != null) {
                    response.body().cancel();
                }
                endOnce.run();
                return;
            }
            response.body().done().whenComplete((v, e) -> endOnce.run());
            response.body().consume();
        });
        return () -> {
            future.cancel(true);
            future.thenAccept(response -> response.body().cancel());
        };
    }

    /** The raw exchange: the answer whatever its status, or a KubeException when there is none. */
    HttpResponse<String> exchange(String method, String path, String contentType, String body, Duration timeout) {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request(method, path, contentType, body, timeout), String.class);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new KubeException(KubeException.Reason.INTERRUPTED, "interrupted while waiting for the Kubernetes API server at " + server);
        } catch (ExecutionException e) {
            throw ApiErrors.fromFailure(e, server);
        }
    }

    private HttpRequest request(String method, String path, String contentType, String body, Duration timeout) {
        HttpRequest.Builder b = http.newHttpRequestBuilder().uri(server + path)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .header("Accept", "application/json, */*");
        if (body != null) {
            b.method(method, contentType, body);
        } else if (!"GET".equals(method)) {
            b.method(method, "application/json", "{}");
        }
        return b.build();
    }

    private String check(HttpResponse<String> response, Operation op) {
        String body = response.body();
        if (response.isSuccessful()) {
            return body;
        }
        throw ApiErrors.fromResponse(response.code(), body, op, server);
    }

    /**
     * fabric8's full client, for exec. Built on first use; it shares the
     * configuration (and so the credentials) of this connection.
     */
    synchronized KubernetesClient fabric8() {
        if (fabric8 == null) {
            fabric8 = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(clients).build();
        }
        return fabric8;
    }

    @Override
    public synchronized void close() {
        if (fabric8 != null) {
            fabric8.close();
        }
        http.close();
        clients.shutdownAll();
    }
}
