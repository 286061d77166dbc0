package dev.runbook.sandbox.kube;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Objects;

/**
 * The sandbox's Kubernetes API server (SPEC 6.1): an embedded server on 127.0.0.1 that fabric8
 * clients and the real {@code kubectl} use, seeded from {@code WORLD/cluster/*.yaml} and kept
 * under {@code WORLD/.state/} so that a new start after a crash serves the world as it was.
 *
 * <pre>{@code
 * try (SandboxApiServer server = SandboxApiServer.start(world, SandboxApiServer.Options.defaults())) {
 *     server.writeKubeconfig(world.resolve("kubeconfig"), "apiconnect");
 * }
 * }</pre>
 */
public final class SandboxApiServer implements AutoCloseable {

    /**
     * @param namespace the namespace of seed objects that name none (and of the kubeconfig by default)
     * @param exec      answers commands run in pods
     * @param logs      answers pod logs
     * @param writes    told of every accepted write (dry runs excluded)
     */
    public record Options(String namespace, ExecAnswers exec, LogAnswers logs, WriteListener writes) {
        public Options {
            namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
            exec = exec == null ? ExecAnswers.NONE : exec;
            logs = logs == null ? LogAnswers.NONE : logs;
            writes = writes == null ? WriteListener.NONE : writes;
        }

        public static Options defaults() {
            return new Options("default", null, null, null);
        }

        public Options withNamespace(String value) {
            return new Options(value, exec, logs, writes);
        }

        public Options withExec(ExecAnswers value) {
            return new Options(namespace, value, logs, writes);
        }

        public Options withLogs(LogAnswers value) {
            return new Options(namespace, exec, value, writes);
        }

        public Options withWrites(WriteListener value) {
            return new Options(namespace, exec, logs, value);
        }
    }

    private final Options options;
    private final StateFiles state;
    private final HttpFront front;

    private SandboxApiServer(Options options, StateFiles state, HttpFront front) {
        this.options = options;
        this.state = state;
        this.front = front;
    }

    /**
     * Starts the server on a free port of 127.0.0.1: with the world saved under
     * {@code worldDir/.state/} if there is one, else seeded from {@code worldDir/cluster/*.yaml}.
     *
     * @throws SandboxKubeException when a seed file is invalid or the saved state unreadable
     */
    public static SandboxApiServer start(Path worldDir, Options options) {
        Objects.requireNonNull(worldDir, "worldDir");
        Options opts = options == null ? Options.defaults() : options;
        ResourceRegistry registry = new ResourceRegistry();
        SandboxStore store = new SandboxStore(registry);
        StateFiles state = new StateFiles(worldDir);
        if (state.exists()) {
            StateFiles.Saved saved = state.load();
            for (var object : saved.objects()) {
                ResourceType type = registry.byKind(object.path("apiVersion").asString(""),
                        object.path("kind").asString("")).orElseThrow(() -> new SandboxKubeException(
                                "the sandbox's saved cluster holds a " + object.path("kind").asString("")
                                        + " whose kind is no longer served; delete " + worldDir.resolve(".state")
                                        + " to start again from cluster/*.yaml"));
                store.restore(type.collectionPath(Json.namespace(object)), object);
            }
            store.restoreResourceVersion(saved.resourceVersion());
        } else {
            new WorldSeeder(registry, store, opts.namespace()).seed(worldDir);
            state.save(store.currentResourceVersion(), store.snapshot());
        }
        WatchHub watches = new WatchHub(store);
        store.setListener(watches);
        ObjectWrites writes = new ObjectWrites(store, write -> {
            // Saved and recorded while the store is locked: durable before the client's answer.
            state.save(store.currentResourceVersion(), store.snapshot());
            state.appendWrite(write);
            opts.writes().onWrite(write);
        });
        KubeApi api = new KubeApi(registry, store, writes, opts.logs());
        HttpFront front = HttpFront.start(api, watches, new PodExec(opts.exec()));
        return new SandboxApiServer(opts, state, front);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + front.port();
    }

    public int port() {
        return front.port();
    }

    /** The writes recorded in {@code worldDir/.state/writes.jsonl}, this start's and earlier ones. */
    public List<KubeWrite> recordedWrites() {
        return state.readWrites();
    }

    /**
     * Writes a kubeconfig (mode 0600) whose current context {@code sandbox} points at this server,
     * for fabric8 and kubectl alike: plain HTTP on 127.0.0.1 and a token nobody checks.
     *
     * @param namespace the context's namespace; null for the options' namespace
     */
    public void writeKubeconfig(Path file, String namespace) {
        String ns = namespace == null || namespace.isBlank() ? options.namespace() : namespace;
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: sandbox
                  cluster:
                    server: %s
                contexts:
                - name: sandbox
                  context:
                    cluster: sandbox
                    user: sandbox
                    namespace: %s
                current-context: sandbox
                users:
                - name: sandbox
                  user:
                    token: sandbox
                preferences: {}
                """.formatted(url(), ns);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, yaml);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the file keeps the default mode
            }
        } catch (IOException e) {
            throw new SandboxKubeException("cannot write the sandbox kubeconfig " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        front.close();
    }
}
