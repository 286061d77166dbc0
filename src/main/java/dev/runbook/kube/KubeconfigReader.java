package dev.runbook.kube;

import dev.runbook.kube.KubeException.Reason;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.AuthProviderConfig;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.Context;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.ExecEnvVar;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a kubeconfig into fabric8's model with snakeyaml rather than fabric8's own parser:
 * the latter starts fabric8's whole serialization machinery, which alone costs seconds of a
 * cold start. Only the fields kubectl uses for a connection are read.
 */
final class KubeconfigReader {
    // The keys fabric8 uses to remember which file an entry came from (relative paths and exec
    // commands are resolved against it), as KubeConfigUtils.parseConfig sets them.
    private static final String CONTEXT_FILE = "KUBERNETES_CONFIG_CONTEXT_FILE_KEY";
    private static final String CLUSTER_FILE = "KUBERNETES_CONFIG_CLUSTER_FILE_KEY";
    private static final String USER_FILE = "KUBERNETES_CONFIG_AUTH_INFO_FILE_KEY";

    private KubeconfigReader() {
    }

    /** A kubeconfig's text; {@code file} is where it came from, or null. */
    static Config read(String text, File file) {
        String where = file == null ? "the kubeconfig" : "kubeconfig " + file;
        List<Object> docs = KubeValues.parseYamlDocuments(text, where);
        Config config = new Config();
        config.setClusters(new ArrayList<>());
        config.setContexts(new ArrayList<>());
        config.setUsers(new ArrayList<>());
        if (docs.isEmpty()) {
            return config;
        }
        if (!(docs.get(0) instanceof Map<?, ?> root)) {
            throw new KubeException(Reason.CONFIG, where + " is not a kubeconfig (a YAML map)");
        }
        config.setCurrentContext(str(root.get("current-context")));
        for (Map<?, ?> entry : entries(root.get("clusters"))) {
            Map<?, ?> c = map(entry.get("cluster"));
            Cluster cluster = new Cluster();
            cluster.setServer(str(c.get("server")));
            cluster.setCertificateAuthority(str(c.get("certificate-authority")));
            cluster.setCertificateAuthorityData(str(c.get("certificate-authority-data")));
            cluster.setInsecureSkipTlsVerify(Boolean.TRUE.equals(c.get("insecure-skip-tls-verify")));
            cluster.setTlsServerName(str(c.get("tls-server-name")));
            cluster.setProxyUrl(str(c.get("proxy-url")));
            NamedCluster named = new NamedCluster(cluster, str(entry.get("name")));
            remember(named.getAdditionalProperties(), CLUSTER_FILE, file);
            config.getClusters().add(named);
        }
        for (Map<?, ?> entry : entries(root.get("contexts"))) {
            Map<?, ?> c = map(entry.get("context"));
            Context context = new Context();
            context.setCluster(str(c.get("cluster")));
            context.setUser(str(c.get("user")));
            context.setNamespace(str(c.get("namespace")));
            NamedContext named = new NamedContext(context, str(entry.get("name")));
            remember(named.getAdditionalProperties(), CONTEXT_FILE, file);
            config.getContexts().add(named);
        }
        for (Map<?, ?> entry : entries(root.get("users"))) {
            NamedAuthInfo named = new NamedAuthInfo(str(entry.get("name")), authInfo(map(entry.get("user"))));
            remember(named.getAdditionalProperties(), USER_FILE, file);
            config.getUsers().add(named);
        }
        return config;
    }

    private static AuthInfo authInfo(Map<?, ?> u) {
        AuthInfo user = new AuthInfo();
        user.setToken(str(u.get("token")));
        user.setTokenFile(str(u.get("tokenFile")));
        user.setClientCertificate(str(u.get("client-certificate")));
        user.setClientCertificateData(str(u.get("client-certificate-data")));
        user.setClientKey(str(u.get("client-key")));
        user.setClientKeyData(str(u.get("client-key-data")));
        user.setUsername(str(u.get("username")));
        user.setPassword(str(u.get("password")));
        if (u.get("exec") instanceof Map<?, ?> e) {
            ExecConfig exec = new ExecConfig();
            exec.setApiVersion(str(e.get("apiVersion")));
            exec.setCommand(str(e.get("command")));
            exec.setInteractiveMode(str(e.get("interactiveMode")));
            exec.setProvideClusterInfo(Boolean.TRUE.equals(e.get("provideClusterInfo")));
            List<String> args = new ArrayList<>();
            if (e.get("args") instanceof List<?> l) {
                l.forEach(a -> args.add(String.valueOf(a)));
            }
            exec.setArgs(args);
            List<ExecEnvVar> env = new ArrayList<>();
            for (Map<?, ?> v : entries(e.get("env"))) {
                env.add(new ExecEnvVar(str(v.get("name")), str(v.get("value"))));
            }
            exec.setEnv(env);
            user.setExec(exec);
        }
        if (u.get("auth-provider") instanceof Map<?, ?> p) {
            Map<String, String> settings = new LinkedHashMap<>();
            map(p.get("config")).forEach((k, v) -> settings.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            user.setAuthProvider(new AuthProviderConfig(settings, str(p.get("name"))));
        }
        return user;
    }

    private static void remember(Map<String, Object> additional, String key, File file) {
        if (file != null) {
            additional.put(key, file);
        }
    }

    private static List<Map<?, ?>> entries(Object v) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static Map<?, ?> map(Object v) {
        return v instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String str(Object v) {
        return v == null ? null : String.valueOf(v);
    }
}
