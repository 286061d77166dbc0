package dev.runbook.kube;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Server-side dry run of the mutating verbs (SPEC 6): each is sent with {@code dryRun=All}, so
 * admission, validation and conflicts are checked for real and nothing is stored. A refusal is
 * the same {@link KubeException} the real run would meet.
 */
public final class DryRun {
    /** Fields that change on every write and say nothing about what the step changes. */
    static final List<String> NOISE = List.of("metadata.managedFields", "metadata.resourceVersion", "metadata.generation",
            "metadata.uid", "metadata.creationTimestamp");

    private final KubeVerbs verbs;

    public DryRun(KubeVerbs verbs) {
        this.verbs = verbs;
    }

    public DryRunResult apply(Object manifest, String namespace) {
        return applyDocument(KubeVerbs.singleDocument(manifest), namespace);
    }

    public List<DryRunResult> applyFile(Path path, String namespace) {
        return applyFile(path, path.toString(), namespace);
    }

    /** As {@link #applyFile(Path, String)}, the file named {@code shown} in messages. */
    public List<DryRunResult> applyFile(Path path, String shown, String namespace) {
        List<DryRunResult> out = new ArrayList<>();
        for (Map<String, Object> doc : KubeVerbs.documents(path, shown)) {
            out.add(applyDocument(doc, namespace));
        }
        return out;
    }

    public DryRunResult patch(String resource, String name, String namespace, Object patch) {
        ApiResource type = verbs.connection().apiResources().resolve(resource);
        String ns = verbs.connection().namespaceOr(namespace);
        Map<String, Object> live = verbs.get(resource, name, ns, null, null);
        Map<String, Object> after = verbs.patch(resource, name, ns, patch, true);
        return compared(type, name, type.namespaced() ? ns : null, live, after);
    }

    public DryRunResult delete(String resource, String name, String namespace) {
        ApiResource type = verbs.connection().apiResources().resolve(resource);
        String ns = verbs.connection().namespaceOr(namespace);
        // Read first: deleting what does not exist fails the rehearsal as it would fail the run.
        Map<String, Object> live = verbs.get(resource, name, ns, null, null);
        Map<String, Object> answer = verbs.delete(resource, name, ns, true);
        return new DryRunResult("delete", "would delete " + describe(type, name, type.namespaced() ? ns : null), answer, live, "");
    }

    private DryRunResult applyDocument(Map<String, Object> doc, String namespace) {
        String kind = KubeValues.string(doc, "kind");
        String apiVersion = KubeValues.string(doc, "apiVersion");
        String name = KubeValues.string(doc, "metadata.name");
        Map<String, Object> live = null;
        ApiResource type = null;
        String ns = null;
        if (kind != null && apiVersion != null && name != null) {
            type = verbs.connection().apiResources().forKind(apiVersion, kind);
            String own = KubeValues.string(doc, "metadata.namespace");
            ns = type.namespaced() ? (own != null && !own.isBlank() ? own : verbs.connection().namespaceOr(namespace)) : null;
            live = verbs.getOrNull(type, name, ns);
        }
        Map<String, Object> after = verbs.applyDocument(doc, namespace, true);
        if (live == null) {
            return new DryRunResult("create", "would create " + describe(type, name, ns), after, null, "");
        }
        return compared(type, name, ns, live, after);
    }

    private static DryRunResult compared(ApiResource type, String name, String ns, Map<String, Object> live, Map<String, Object> after) {
        String diff = diff(live, after);
        String what = describe(type, name, ns);
        if (diff.isEmpty()) {
            return new DryRunResult("unchanged", "no change to " + what, after, live, "");
        }
        long changed = diff.lines().filter(l -> (l.startsWith("+") || l.startsWith("-")) && !l.startsWith("+++") && !l.startsWith("---")).count();
        return new DryRunResult("update", "would change " + what + " (" + changed + " line" + (changed == 1 ? "" : "s") + " of diff)",
                after, live, diff);
    }

    /** The unified diff of two objects as YAML, without the fields every write changes. */
    public static String diff(Map<String, Object> live, Map<String, Object> after) {
        return TextDiff.unified(KubeValues.toYaml(withoutNoise(live)), KubeValues.toYaml(withoutNoise(after)), "live", "after", 3);
    }

    private static Map<String, Object> withoutNoise(Map<String, Object> object) {
        Map<String, Object> copy = KubeValues.map(KubeValues.plain(object));
        NOISE.forEach(p -> KubeValues.remove(copy, p));
        return copy;
    }

    private static String describe(ApiResource type, String name, String ns) {
        String kind = type == null ? "object" : type.kind();
        return kind + " " + name + (ns != null ? " in namespace " + ns : "");
    }
}
