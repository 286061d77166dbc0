package dev.runbook.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * fabric8's factory of JDK HTTP clients, remembering each JDK client it builds so that closing
 * the connection can shut them down. fabric8's close only stops the client's executor: the JDK
 * client's selector thread then lives on until the client is collected, blocked in native code,
 * and a JVM exits only after waiting up to 300 ms for such threads (every run that reached a
 * cluster ended a third of a second late), while a long-lived process ({@code runbook test})
 * kept one such thread per connection it had closed.
 */
final class ClosableJdkClients extends JdkHttpClientFactory {
    private final List<HttpClient> built = new ArrayList<>();

    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
        return new Remembering(super.createNewHttpClientBuilder());
    }

    /** Shuts every client built so far down at once: their requests and selector threads end. */
    void shutdownAll() {
        List<HttpClient> all;
        synchronized (built) {
            all = new ArrayList<>(built);
            built.clear();
        }
        all.forEach(HttpClient::shutdownNow);
    }

    /** A JDK client builder that hands what it builds to {@link #built}; every setting is only forwarded. */
    private final class Remembering implements HttpClient.Builder {
        private final HttpClient.Builder b;

        Remembering(HttpClient.Builder b) {
            this.b = b;
        }

        @Override
        public HttpClient build() {
            HttpClient c = b.build();
            synchronized (built) {
                built.add(c);
            }
            return c;
        }

        @Override
        public HttpClient.Builder cookieHandler(CookieHandler h) {
            b.cookieHandler(h);
            return this;
        }

        @Override
        public HttpClient.Builder connectTimeout(Duration d) {
            b.connectTimeout(d);
            return this;
        }

        @Override
        public HttpClient.Builder sslContext(SSLContext c) {
            b.sslContext(c);
            return this;
        }

        @Override
        public HttpClient.Builder sslParameters(SSLParameters p) {
            b.sslParameters(p);
            return this;
        }

        @Override
        public HttpClient.Builder executor(Executor e) {
            b.executor(e);
            return this;
        }

        @Override
        public HttpClient.Builder followRedirects(HttpClient.Redirect r) {
            b.followRedirects(r);
            return this;
        }

        @Override
        public HttpClient.Builder version(HttpClient.Version v) {
            b.version(v);
            return this;
        }

        @Override
        public HttpClient.Builder priority(int p) {
            b.priority(p);
            return this;
        }

        @Override
        public HttpClient.Builder proxy(ProxySelector p) {
            b.proxy(p);
            return this;
        }

        @Override
        public HttpClient.Builder authenticator(Authenticator a) {
            b.authenticator(a);
            return this;
        }

        @Override
        public HttpClient.Builder localAddress(InetAddress a) {
            b.localAddress(a);
            return this;
        }
    }
}
