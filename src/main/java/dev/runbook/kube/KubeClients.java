package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Opens {@link KubeConnection}s the way kubectl reads its configuration: the kubeconfig the
 * target names, else every file of {@code KUBECONFIG} merged (the first file that sets a key
 * wins), else {@code ~/.kube/config}; the target's context, else the current one; the target's
 * namespace, else the context's, else {@code default}.
 */
public final class KubeClients {
    /** Few, quick retries: a wait polls again anyway, and an operator should not sit through fabric8's ten. */
    private static final int RETRIES = 2;

    private KubeClients() {
    }

    public static KubeConnection open(KubeTarget target) {
        return open(target, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** As {@link #open(KubeTarget)} with the environment and home directory given (for tests). */
    public static KubeConnection open(KubeTarget target, Map<String, String> env, Path home) {
        List<Path> files = kubeconfigFiles(target.kubeconfig(), env, home);
        List<io.fabric8.kubernetes.api.model.Config> parsed = new ArrayList<>();
        for (Path f : files) {
            parsed.add(parse(f));
        }
        Config config = merge(target.context(), parsed, files.toString());
        return new KubeConnection(tuned(config), namespace(target.namespace(), config));
    }

    /**
     * A connection from kubeconfig text whose server URL is replaced by {@code serverUrl} — for a
     * tunnel or an embedded server that listens on 127.0.0.1. Credentials and CA stay as the
     * kubeconfig says.
     */
    public static KubeConnection open(String kubeconfigYaml, String context, String namespace, String serverUrl) {
        io.fabric8.kubernetes.api.model.Config parsed;
        try {
            parsed = KubeconfigReader.read(kubeconfigYaml, null);
        } catch (KubeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KubeException(Reason.CONFIG, "cannot read the kubeconfig: " + firstLine(e));
        }
        Config config = merge(context, List.of(parsed), "the kubeconfig");
        if (serverUrl != null) {
            config.setMasterUrl(serverUrl);
        }
        return new KubeConnection(tuned(config), namespace(namespace, config));
    }

    static List<Path> kubeconfigFiles(String explicit, Map<String, String> env, Path home) {
        if (explicit != null && !explicit.isBlank()) {
            Path p = expandHome(explicit, home);
            if (!Files.isRegularFile(p)) {
                throw new KubeException(Reason.CONFIG, "kubeconfig " + explicit + " does not exist");
            }
            return List.of(p);
        }
        String list = env.get("KUBECONFIG");
        if (list != null && !list.isBlank()) {
            // kubectl skips the files of KUBECONFIG that do not exist, and merges the others in order.
            List<Path> existing = new ArrayList<>();
            for (String part : list.split(File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(expandHome(part, home))) {
                    existing.add(expandHome(part, home));
                }
            }
            if (existing.isEmpty()) {
                throw new KubeException(Reason.CONFIG, "none of the files in KUBECONFIG exists: " + list);
            }
            return existing;
        }
        Path dflt = home.resolve(".kube").resolve("config");
        if (!Files.isRegularFile(dflt)) {
            throw new KubeException(Reason.CONFIG, "no kubeconfig: ~/.kube/config does not exist and KUBECONFIG is not set"
                    + " (or name a kubeconfig in the target)");
        }
        return List.of(dflt);
    }

    private static io.fabric8.kubernetes.api.model.Config parse(Path file) {
        try {
            return KubeconfigReader.read(Files.readString(file), file.toAbsolutePath().toFile());
        } catch (KubeException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            throw new KubeException(Reason.CONFIG, "cannot read kubeconfig " + file + ": " + firstLine(e));
        }
    }

    private static Config merge(String context, List<io.fabric8.kubernetes.api.model.Config> kubeconfigs, String where) {
        Set<String> known = new LinkedHashSet<>();
        String current = null;
        for (var kc : kubeconfigs) {
            if (kc.getContexts() != null) {
                kc.getContexts().stream().map(NamedContext::getName).forEach(known::add);
            }
            if (current == null && kc.getCurrentContext() != null && !kc.getCurrentContext().isBlank()) {
                current = kc.getCurrentContext();
            }
        }
        // fabric8 falls back to the current context when the one asked for is missing: a runbook
        // must never act on another cluster than the one it names, so check first.
        String wanted = context != null && !context.isBlank() ? context : current;
        if (wanted == null) {
            throw new KubeException(Reason.CONFIG, where + " sets no current-context; name a context in the target");
        }
        if (!known.contains(wanted)) {
            throw new KubeException(Reason.CONFIG, "context '" + wanted + "' not found in " + where
                    + (known.isEmpty() ? " (it has no contexts)" : " (contexts: " + String.join(", ", known) + ")"));
        }
        Config config = Config.empty();
        try {
            KubeConfigUtils.merge(config, wanted, kubeconfigs.toArray(io.fabric8.kubernetes.api.model.Config[]::new));
        } catch (RuntimeException e) {
            throw new KubeException(Reason.CONFIG, "cannot use context '" + wanted + "': " + firstLine(e));
        }
        if (config.getMasterUrl() == null || config.getCurrentContext() == null) {
            throw new KubeException(Reason.CONFIG, "context '" + wanted + "' names no cluster with a server URL");
        }
        return config;
    }

    private static Config tuned(Config config) {
        config.setRequestRetryBackoffLimit(RETRIES);
        config.setRequestRetryBackoffInterval(200);
        config.setUserAgent("runbook");
        return config;
    }

    private static String namespace(String explicit, Config config) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String ns = config.getNamespace();
        return ns == null || ns.isBlank() ? "default" : ns;
    }

    private static Path expandHome(String path, Path home) {
        return path.equals("~") ? home : path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }

    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
