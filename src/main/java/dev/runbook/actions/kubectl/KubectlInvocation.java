package dev.runbook.actions.kubectl;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.engine.Invocation;
import dev.runbook.kube.DryRun;
import dev.runbook.kube.DryRunResult;
import dev.runbook.kube.KubeException;
import dev.runbook.kube.KubeVerbs;
import dev.runbook.kube.ManifestExport;
import dev.runbook.kube.SecretValues;
import dev.runbook.kube.Waiter;
import dev.runbook.lang.model.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** One rendered kubectl step against its target: run, rehearsed with a server-side dry run, or awaited. */
final class KubectlInvocation implements Invocation {
    /** A step without a timeout waits as long as it takes; the Waiter needs some bound. */
    private static final Duration NO_TIMEOUT = Duration.ofDays(365);

    private final KubectlCall call;
    private final Target.Kubernetes target;

    KubectlInvocation(KubectlCall call, Target.Kubernetes target) {
        this.call = call;
        this.target = target;
    }

    @Override
    public Object describe() {
        return call.describe(KubeTargets.label(target));
    }

    @Override
    public Object run(ActionContext ctx) throws ActionException, InterruptedException {
        KubeVerbs verbs = new KubeVerbs(KubeTargets.connect(ctx, target));
        try {
            Map<String, Object> result = switch (call.verb()) {
                case "get" -> verbs.get(call.resource(), call.name(), call.namespace(), call.selector(), call.fieldSelector());
                case "apply" -> verbs.apply(call.manifest(), call.namespace());
                case "applyFile" -> verbs.applyFile(ctx.localPath((String) call.manifest()), (String) call.manifest(),
                        call.namespace());
                case "patch" -> verbs.patch(call.resource(), call.name(), call.namespace(), call.patch());
                case "delete" -> verbs.delete(call.resource(), call.name(), call.namespace());
                case "logs" -> verbs.logs(call.pod(), call.container(), call.tail() == null ? null : call.tail().intValue(),
                        call.namespace());
                case "exec" -> exec(verbs, ctx);
                case "export" -> export(verbs, ctx, false);
                default -> throw new ActionException(ActionException.Kind.INVALID, "unknown kubectl verb " + call.verb());
            };
            secrets(ctx, result);
            return result;
        } catch (KubeException e) {
            throw interruptedOr(e);
        }
    }

    /**
     * A dry run: apply, patch and delete go to the server with {@code dryRun=All} (a refusal fails
     * the rehearsal); export reads the object and says where it would write; exec only says what
     * it would run.
     */
    @Override
    public Object rehearse(ActionContext ctx) throws ActionException, InterruptedException {
        if (call.verb().equals("exec")) {
            return describe();
        }
        KubeVerbs verbs = new KubeVerbs(KubeTargets.connect(ctx, target));
        DryRun dry = new DryRun(verbs);
        try {
            Map<String, Object> result = switch (call.verb()) {
                case "apply" -> withTarget(dry.apply(call.manifest(), call.namespace()).toMap());
                case "applyFile" -> {
                    List<Object> items = new ArrayList<>();
                    for (DryRunResult r : dry.applyFile(ctx.localPath((String) call.manifest()), (String) call.manifest(),
                            call.namespace())) {
                        items.add(r.toMap());
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("dryRun", true);
                    out.put("items", items);
                    yield withTarget(out);
                }
                case "patch" -> withTarget(dry.patch(call.resource(), call.name(), call.namespace(), call.patch()).toMap());
                case "delete" -> withTarget(dry.delete(call.resource(), call.name(), call.namespace()).toMap());
                case "export" -> export(verbs, ctx, true);
                default -> withTarget(new LinkedHashMap<>(call.describe(KubeTargets.label(target))));
            };
            secrets(ctx, result);
            return result;
        } catch (KubeException e) {
            throw interruptedOr(e);
        }
    }

    /** Only a get can be watched: every other verb is repeated by the engine. */
    @Override
    public boolean awaitable() {
        return call.verb().equals("get");
    }

    /** An {@code until} on a get: the Waiter reads on every change the server reports, and every interval. */
    @Override
    public Object await(ActionContext ctx, Predicate<Object> holds, Duration interval, Duration timeout, Consumer<Object> onValue)
            throws ActionException, InterruptedException {
        Waiter waiter = new Waiter(new KubeVerbs(KubeTargets.connect(ctx, target)));
        Waiter.Query query = new Waiter.Query(call.resource(), call.name(), call.namespace(), call.selector(), call.fieldSelector());
        // Secrets first: the condition and the waiting line may show the value.
        Predicate<Object> checked = value -> {
            secrets(ctx, value);
            return holds.test(value);
        };
        try (Waiter.Wait wait = waiter.start(query, checked, interval, timeout == null ? NO_TIMEOUT : timeout, onValue);
             AutoCloseable stop = ctx.run().onInterrupt(wait::close)) {
            return wait.await();
        } catch (KubeException e) {
            throw interruptedOr(e);
        } catch (ActionException | InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e); // only the interrupt handle's close, which throws nothing
        }
    }

    private Map<String, Object> withTarget(Map<String, Object> result) {
        result.put("target", KubeTargets.label(target));
        return result;
    }

    private Map<String, Object> exec(KubeVerbs verbs, ActionContext ctx) throws ActionException, InterruptedException {
        Map<String, Object> result = PodCommands.run(ctx, verbs, call.pod(), call.container(), call.command(), null,
                call.namespace(), "command in pod " + call.pod());
        long code = ((Number) result.get("exitCode")).longValue();
        if (code != 0 && (call.allowExitCodes() == null || !call.allowExitCodes().contains((int) code))) {
            throw new ActionException("command in pod " + call.pod() + " exited with code " + code
                    + (ctx.step().sensitive() ? " (output not shown: the step is sensitive)" : lastLine(result.get("stderr"), result.get("stdout"))));
        }
        return result;
    }

    /** Reads the object, registers its secrets, then writes it (or, rehearsing, says where it would). */
    private Map<String, Object> export(KubeVerbs verbs, ActionContext ctx, boolean rehearsal) {
        Map<String, Object> object = verbs.get(call.resource(), call.name(), call.namespace(), null, null);
        secrets(ctx, object);
        Map<String, Object> manifest = ManifestExport.clean(object, call.strip());
        if (!rehearsal) {
            return ManifestExport.write(manifest, ctx.localPath(call.to()), call.to());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dryRun", true);
        out.put("path", call.to());
        out.put("kind", manifest.get("kind"));
        out.put("name", call.name());
        out.put("summary", "would write " + manifest.get("kind") + " " + call.name() + " to " + call.to());
        return out;
    }

    static void secrets(ActionContext ctx, Object result) {
        for (String s : SecretValues.of(result)) {
            ctx.secret(s);
        }
    }

    static String lastLine(Object stderr, Object stdout) {
        for (Object o : new Object[] {stderr, stdout}) {
            if (o instanceof String s && !s.isBlank()) {
                String[] lines = s.strip().split("\\R");
                String l = lines[lines.length - 1].strip();
                return ": " + (l.length() > 200 ? l.substring(0, 197) + "..." : l);
            }
        }
        return "";
    }

    static ActionException interruptedOr(KubeException e) throws InterruptedException {
        if (e.reason() == KubeException.Reason.INTERRUPTED) {
            throw new InterruptedException(e.getMessage());
        }
        return Failures.of(e);
    }
}
