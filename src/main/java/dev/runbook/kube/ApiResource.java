package dev.runbook.kube;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One type the API server serves, as discovery describes it. {@code group} is "" for the core
 * group ({@code pods}, {@code secrets}).
 */
public record ApiResource(String group, String version, String plural, String singular, String kind,
        boolean namespaced, List<String> verbs, List<String> shortNames) {

    public ApiResource {
        verbs = List.copyOf(verbs);
        shortNames = List.copyOf(shortNames);
    }

    /** {@code v1} or {@code apps/v1}, as in a manifest's apiVersion. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** {@code pods} for the core group, else {@code plural.group} as kubectl prints it. */
    public String qualifiedName() {
        return group.isEmpty() ? plural : plural + "." + group;
    }

    public boolean supports(String verb) {
        return verbs.isEmpty() || verbs.contains(verb);
    }

    /** The collection path, in {@code namespace} when the type is namespaced. */
    public String collectionPath(String namespace) {
        StringBuilder sb = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespaced) {
            sb.append("/namespaces/").append(segment(namespace));
        }
        return sb.append('/').append(plural).toString();
    }

    public String objectPath(String namespace, String name) {
        return collectionPath(namespace) + "/" + segment(name);
    }

    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
