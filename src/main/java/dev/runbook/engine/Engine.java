package dev.runbook.engine;

import dev.runbook.expr.EvalException;
import dev.runbook.expr.Expr;
import dev.runbook.expr.Renderer;
import dev.runbook.expr.Scope;
import dev.runbook.graph.StepGraph;
import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.CheckedRunbook;
import dev.runbook.lang.Diagnostic;
import dev.runbook.lang.Effect;
import dev.runbook.lang.InvalidRunbookException;
import dev.runbook.lang.Suggest;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Capture;
import dev.runbook.lang.model.OnFailure;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.proc.OutputListener;
import dev.runbook.secrets.Redactor;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a checked runbook: SPEC sections 2, 3, 4 and 6. Steps run one at a time, top to bottom
 * (a {@code parallel} forEach aside); each goes through its lifecycle: blocked, {@code when},
 * {@code unless}, then the action once or per forEach element, with {@code retries} or an
 * {@code until} loop under its {@code timeout}, then {@code capture}. Listeners hear of every
 * start and end, synchronously, before the next action starts.
 *
 * <p>Resume and {@code --from} plug in through {@link #carryOver} (results from before: those
 * steps do not run again and their outputs are reused) and {@link #startAt} (steps before it
 * are skipped).
 */
public final class Engine {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Runbook rb;
    private final StepGraph graph;
    private final ActionCatalog actions;
    private final Map<String, Object> params;
    private final RunOptions options;
    private final Listeners listeners;
    private final Redactor redactor;

    private Map<String, StepResult> carried = Map.of();
    private String from;
    private Set<String> alsoRun = Set.of();
    private Map<String, String> askFirst = Map.of();
    /** Resume: the operator's yes to running a step again, recorded with the step's result. */
    private final Map<String, Answer> rerunAnswers = new java.util.concurrent.ConcurrentHashMap<>();

    // ---- state of the run ----
    private final Map<String, StepResult> results = new LinkedHashMap<>();
    /** The {@code steps} name of expressions: id to {outputs, status}. */
    private final Map<String, Object> stepsScope = new LinkedHashMap<>();
    /** Dry run: steps whose outputs are not known because they did not really run. */
    private final Set<String> unknown = new HashSet<>();
    private final Set<String> skippedByFrom = new HashSet<>();
    private final Set<String> abortedGroups = new HashSet<>();
    private final Set<String> failureStepIds = new HashSet<>();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private volatile Thread runThread;
    private volatile ExecutorService pool;
    private RunContext ctx;
    private Handlers handlers;
    private Map<String, Object> base;
    /** Set when the run must stop whatever the step's onFailure: declined prompt, interruption. */
    private RunOutcome stop;
    private String firstFailure;
    private boolean failed;

    public Engine(CheckedRunbook checked, Map<String, Object> params, RunOptions options, List<RunListener> listeners) {
        this(checked, params, options, listeners, new Redactor());
    }

    /**
     * With the run's redactor made by the caller, so that a listener built before the engine
     * (the journal) masks the same secrets: the engine feeds it as secrets become known.
     */
    public Engine(CheckedRunbook checked, Map<String, Object> params, RunOptions options, List<RunListener> listeners,
                  Redactor redactor) {
        this.rb = checked.runbook();
        this.graph = checked.graph();
        this.actions = checked.actions();
        this.params = params;
        this.options = options;
        this.listeners = new Listeners(listeners);
        this.redactor = redactor;
    }

    /**
     * Results from an earlier attempt of this run (resume). A step whose carried result is
     * done (succeeded, satisfied, skipped) is not run again: its outputs are reused. Steps not
     * in the map run normally.
     */
    public Engine carryOver(Map<String, StepResult> prior) {
        this.carried = Map.copyOf(prior);
        return this;
    }

    /**
     * Start at this step ({@code --from}): every main step before it is skipped, except the
     * groups that contain it. Refused (exit 2) when it or a later step reads an output of a
     * skipped step that is not carried over.
     */
    public Engine startAt(String stepId) {
        this.from = stepId;
        return this;
    }

    /**
     * Resume with {@code --from}: steps before the start that run all the same instead of
     * being skipped (the reads, which a resume runs again so that later steps see the world as
     * it is now).
     */
    public Engine alsoRun(Set<String> stepIds) {
        this.alsoRun = Set.copyOf(stepIds);
        return this;
    }

    /**
     * Resume: steps that may have done part of their work already, each with why (it was
     * running when the run's process stopped). Such a step runs again when it is a read, a
     * prompt or {@code idempotent}, and is {@code satisfied} when its {@code unless} holds now;
     * otherwise the operator is asked first: {@code --yes} answers yes, a terminal is asked,
     * and without either the run stops with exit 3 before the step runs.
     */
    public Engine askBeforeRerun(Map<String, String> whyByStepId) {
        this.askFirst = Map.copyOf(whyByStepId);
        return this;
    }

    /** Ctrl-C or SIGTERM: stop the running action and its processes; the step is recorded interrupted. */
    public void interrupt() {
        if (interrupted.compareAndSet(false, true)) {
            RunContext c = ctx;
            if (c != null) {
                c.interrupt();
            }
            ExecutorService p = pool;
            if (p != null) {
                p.shutdownNow();
            }
            Thread t = runThread;
            if (t != null) {
                t.interrupt();
            }
        }
    }

    /** The redactor of this run: every secret known so far. */
    public Redactor redactor() {
        return redactor;
    }

    /**
     * Runs the runbook and returns how it ended. Bad answers or {@code --from} and vars that
     * cannot be computed throw {@link InvalidRunbookException} (exit 2) before anything runs.
     */
    public RunOutcome run() {
        runThread = Thread.currentThread();
        Instant started = Instant.now();
        String runId = options.runId() != null ? options.runId() : newRunId(started);
        for (Param p : rb.params().values()) {
            if (p.secret()) {
                redactor.add(params.get(p.name()));
            }
        }
        checkAnswers();
        checkFrom();
        for (Step s : rb.failureSteps()) {
            failureStepIds.add(s.id());
        }
        Map<String, String> env = options.env();
        base = Scope.initial(rb, params, runId, options.dryRun(), env);
        for (Step s : rb.allSteps()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("outputs", Map.of());
            entry.put("status", StepState.PENDING.word());
            stepsScope.put(s.id(), entry);
        }
        base.put("steps", stepsScope);

        Map<String, Object> shownParams = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : params.entrySet()) {
            Param p = rb.params().get(e.getKey());
            if (p == null || !p.secret()) {
                shownParams.put(e.getKey(), e.getValue());
            }
        }
        String user = System.getProperty("user.name", "unknown");
        RunInfo info = new RunInfo(runId, rb.name(), rb.file(), options.dryRun(), shownParams, user, Hosts.name(),
                ProcessHandle.current().pid(), started);
        ctx = new RunContext(rb, options, redactor, runId, user);
        handlers = new Handlers(actions);
        try {
            if (interrupted.get()) {
                ctx.interrupt();
            }
            listeners.runStarted(info);
            boolean preflightFailed = false;
            if (options.dryRun()) {
                List<Requirement> checks = Preflight.check(rb, base, handlers, this::context);
                listeners.preflight(checks);
                preflightFailed = checks.stream().anyMatch(r -> !r.ok());
            }
            runList(rb.steps());
            if (stop == null && failed) {
                runFailureSteps();
            }
            RunOutcome o = outcome(preflightFailed);
            RunOutcome outcome = new RunOutcome(o.state(), o.exitCode(), redactor.redact(o.message()));
            listeners.runFinished(info, outcome);
            return outcome;
        } finally {
            ctx.close();
            runThread = null;
            Thread.interrupted(); // an interruption is recorded in the outcome, not left on the thread
        }
    }

    private RunOutcome outcome(boolean preflightFailed) {
        if (stop != null) {
            return stop;
        }
        if (failed) {
            return new RunOutcome("failed", RunOutcome.STEP_FAILED, firstFailure);
        }
        if (preflightFailed) {
            return new RunOutcome("failed", RunOutcome.STEP_FAILED, "the dry run found what a real run would miss (see the checks above)");
        }
        if (options.dryRun()) {
            long would = results.values().stream().filter(r -> r.state() == StepState.WOULD_RUN).count();
            return new RunOutcome("succeeded", RunOutcome.OK, "dry run passed: every rehearsed step passed, "
                    + would + " step" + (would == 1 ? "" : "s") + " would run");
        }
        return new RunOutcome("succeeded", RunOutcome.OK, "every step is done");
    }

    private static String newRunId(Instant t) {
        return RUN_ID_TIME.format(t) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    // ---- checks before the run --------------------------------------------------------------

    private void checkAnswers() {
        List<Diagnostic> problems = new ArrayList<>();
        List<String> prompts = new ArrayList<>();
        for (Step s : rb.allSteps()) {
            if (s.action() instanceof Action.Prompt) {
                prompts.add(s.id());
            }
        }
        for (String id : options.answers().ids()) {
            Step s = rb.step(id);
            Answers.Given g = options.answers().get(id);
            if (s == null || !(s.action() instanceof Action.Prompt p)) {
                String hint = Suggest.closest(id, prompts);
                problems.add(new Diagnostic(null, null, g.source() + " names '" + id + "', which is "
                        + (s == null ? "not a step of this runbook" : "not a prompt step")
                        + (hint != null ? " (did you mean '" + hint + "'?)" : ""),
                        List.of(prompts.isEmpty() ? "this runbook has no prompts" : "prompt steps: " + String.join(", ", prompts))));
                continue;
            }
            if (p.type().equals("secret")) {
                redactor.add(g.value());
            }
            if (p.type().equals("confirm") && PromptAnswers.yesNo(g.value()) == null) {
                problems.add(new Diagnostic(null, null, g.source() + " for confirm '" + id + "' must be yes or no, not '"
                        + g.value() + "'"));
            }
            List<String> choices = PromptAnswers.literalChoices(p);
            if (choices != null && !choices.contains(g.value())) {
                problems.add(new Diagnostic(null, null, g.source() + " for choice '" + id + "' must be one of "
                        + String.join(", ", choices)));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(problems);
        }
    }

    private void checkFrom() {
        if (from == null) {
            return;
        }
        List<Step> main = rb.mainSteps();
        int at = -1;
        for (int i = 0; i < main.size(); i++) {
            if (main.get(i).id().equals(from)) {
                at = i;
            }
        }
        if (at < 0) {
            String hint = Suggest.closest(from, main.stream().map(Step::id).toList());
            boolean failure = rb.failureSteps().stream().anyMatch(s -> s.id().equals(from));
            throw new InvalidRunbookException(List.of(new Diagnostic(null, null, "--from " + from + ": "
                    + (failure ? "an onFailure step cannot be a starting point" : "no such step")
                    + (hint != null && !failure ? " (did you mean '" + hint + "'?)" : ""))));
        }
        Set<String> ancestors = new HashSet<>();
        String g = main.get(at).group();
        while (g != null) {
            ancestors.add(g);
            g = rb.step(g).group();
        }
        for (int i = 0; i < at; i++) {
            String id = main.get(i).id();
            if (!ancestors.contains(id) && !isCarried(id) && !alsoRun.contains(id)) {
                skippedByFrom.add(id);
            }
        }
        List<String> problems = new ArrayList<>();
        for (int i = at; i < main.size(); i++) {
            for (StepGraph.Edge e : graph.edgesFrom(main.get(i).id())) {
                if (e.kind() == StepGraph.Kind.READS && skippedByFrom.contains(e.to())) {
                    problems.add("step '" + e.from() + "' reads " + (e.outputs().isEmpty() ? "step '" + e.to() + "'"
                            : "outputs " + String.join(", ", e.outputs()) + " of step '" + e.to() + "'"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidRunbookException(List.of(new Diagnostic(null, null,
                    "--from " + from + " would skip steps whose outputs later steps read", problems)));
        }
    }

    private boolean isCarried(String id) {
        StepResult r = carried.get(id);
        return r != null && r.state().isDone();
    }

    // ---- walking the steps ------------------------------------------------------------------

    /** Runs steps in order; returns false when a failure must abort the enclosing list. */
    private boolean runList(List<Step> steps) {
        for (Step s : steps) {
            if (stop != null) {
                return false;
            }
            if (interrupted.get()) {
                stop = interruptedOutcome();
                return false;
            }
            StepResult r = runStep(s);
            if (stop != null) {
                return false;
            }
            // A group fails the list only when one of its members aborted it; a member's
            // onFailure: continue is honoured even though the group then counts as failed.
            boolean failedHere = s.action() instanceof Action.Group ? abortedGroups.contains(s.id())
                    : r.state() == StepState.FAILED;
            if (failedHere && s.onFailure() != OnFailure.CONTINUE) {
                return false;
            }
        }
        return true;
    }

    private void runFailureSteps() {
        if (rb.onFailure().isEmpty()) {
            return;
        }
        boolean keep = failed;
        String first = firstFailure;
        runList(rb.onFailure());
        // The run failed already; the diagnostics' own results do not change why.
        failed = keep;
        firstFailure = first;
    }

    private RunOutcome interruptedOutcome() {
        return new RunOutcome("interrupted", RunOutcome.INTERRUPTED, "the run was interrupted");
    }

    private StepResult runStep(Step s) {
        Instant now = Instant.now();
        StepResult prior = carried.get(s.id());
        if (prior != null && prior.state().isDone() && !(s.action() instanceof Action.Group)) {
            record(s, prior, prior.outputs(), false);
            listeners.stepCarried(s, prior);
            return prior;
        }
        if (skippedByFrom.contains(s.id())) {
            StepResult r = finish(s, simple(s, StepState.SKIPPED, now, null, "before --from " + from), Map.of());
            members(s, StepState.SKIPPED);
            return r;
        }
        String blockedBy = blockedBy(s);
        if (blockedBy != null) {
            StepResult r = finish(s, simple(s, StepState.BLOCKED, now, null, "depends on step '" + blockedBy + "', which "
                    + state(blockedBy).word()), Map.of());
            members(s, StepState.BLOCKED);
            return r;
        }
        Map<String, Object> scope = new LinkedHashMap<>(base);
        if (options.dryRun()) {
            String needsUnknown = readsUnknown(s);
            if (needsUnknown != null) {
                return notRehearsable(s, scope, needsUnknown, now);
            }
        }
        try {
            if (s.when() != null && !bool(s.when(), scope, "when")) {
                StepResult r = finish(s, simple(s, StepState.SKIPPED, now, null, "when: " + s.when().source() + " is false"), Map.of());
                members(s, StepState.SKIPPED);
                return r;
            }
            if (s.unless() != null && bool(s.unless(), scope, "unless")) {
                StepResult r = finish(s, simple(s, StepState.SATISFIED, now, null, "unless: " + s.unless().source() + " holds: already done"), Map.of());
                members(s, StepState.SATISFIED);
                return r;
            }
        } catch (ActionException e) {
            listeners.stepStarted(s, 1);
            return fail(s, now, hint(s, e.getMessage()), 1);
        }
        String why = askFirst.get(s.id());
        if (why != null && Effect.ofDefinition(s, actions) == Effect.MUTATES && !s.idempotent()) {
            StepResult refused = confirmRerun(s, why, now);
            if (refused != null) {
                return refused;
            }
        }
        if (s.action() instanceof Action.Group g) {
            return runGroup(s, g, now);
        }
        return runAction(s, scope, now);
    }

    /**
     * Asks whether a step that may have done part of its work may run again. Returns null to
     * go on; otherwise the step stays {@code interrupted} and the run stops (exit 3, or 130 when
     * interrupted while asking).
     */
    private StepResult confirmRerun(Step s, String why, Instant now) {
        String question = "step '" + s.id() + "' " + why + "; it is neither a read nor idempotent";
        Terminal t = options.terminal();
        String value;
        String source;
        if (options.answers().yes()) {
            value = "yes";
            source = "--yes";
        } else if (t.interactive()) {
            CompletableFuture<String> f = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    String q = "\n? " + question + ".\n  Run it again? [y/N] ";
                    String line;
                    while ((line = t.readLine(q)) != null && !line.isBlank() && PromptAnswers.yesNo(line) == null) {
                        q = "  please answer yes or no [y/N] ";
                    }
                    f.complete(line);
                } catch (RuntimeException e) {
                    f.complete(null);
                }
            }, "runbook-confirm");
            reader.setDaemon(true);
            reader.start();
            try {
                String line = f.get();
                value = line != null && Boolean.TRUE.equals(PromptAnswers.yesNo(line)) ? "yes" : "no";
            } catch (InterruptedException | ExecutionException e) {
                stop = interruptedOutcome();
                return finish(s, simple(s, StepState.INTERRUPTED, now, "interrupted while asking whether to run it again",
                        null), Map.of());
            }
            source = "terminal";
        } else {
            stop = new RunOutcome("failed", RunOutcome.PROMPT, question + ", so it runs again only when the operator"
                    + " says so, and there is no terminal to ask: resume with --yes to run it again, or with --from"
                    + " a later step to go on without it");
            return finish(s, simple(s, StepState.INTERRUPTED, now, "not run again: no terminal to ask, and no --yes", null),
                    Map.of());
        }
        Answer a = new Answer(value, ctx.user(), Instant.now(), source);
        if (!value.equals("yes")) {
            stop = new RunOutcome("declined", RunOutcome.PROMPT, "step '" + s.id() + "' was not run again: declined by "
                    + a.by() + " (" + source + ")");
            return finish(s, new StepResult(s.id(), StepState.INTERRUPTED, Map.of(), now, now,
                    "not run again: declined by " + a.by(), a, null, 0, null), Map.of());
        }
        rerunAnswers.put(s.id(), a);
        return null;
    }

    private StepResult runGroup(Step s, Action.Group g, Instant started) {
        listeners.stepStarted(s, 1);
        boolean ok = runList(g.steps());
        StepState state = StepState.SUCCEEDED;
        String error = null;
        boolean anyWould = false;
        for (Step c : g.steps()) {
            StepResult r = results.get(c.id());
            if (r == null) {
                continue;
            }
            switch (r.state()) {
                case INTERRUPTED -> state = StepState.INTERRUPTED;
                case FAILED, BLOCKED -> {
                    if (state != StepState.INTERRUPTED) {
                        state = StepState.FAILED;
                        if (error == null) {
                            error = "step '" + c.id() + "' " + r.state().word();
                        }
                    }
                }
                case WOULD_RUN -> anyWould = true;
                default -> {
                }
            }
        }
        if (state == StepState.SUCCEEDED && anyWould) {
            state = StepState.WOULD_RUN;
        }
        if (!ok && state == StepState.SUCCEEDED) {
            state = stop != null && stop.exitCode() == RunOutcome.INTERRUPTED ? StepState.INTERRUPTED : StepState.FAILED;
        }
        if (!ok) {
            abortedGroups.add(s.id());
        }
        return finish(s, new StepResult(s.id(), state, Map.of(), started, Instant.now(), error, null, null, 1, null), Map.of());
    }

    // ---- one action step ----------------------------------------------------------------------

    /** How one execution (one forEach element) ended. */
    private record Item(StepState state, Map<String, Object> outputs, Object wouldRun, String error,
                        ActionException.Kind kind, Answer answer, int attempts, boolean unknownOutputs) {
    }

    private StepResult runAction(Step s, Map<String, Object> scope, Instant started) {
        ActionHandler handler;
        try {
            handler = handlers.of(s);
        } catch (RuntimeException e) {
            listeners.stepStarted(s, 1);
            return fail(s, started, "cannot run this step: " + e.getMessage(), 1);
        }
        listeners.stepStarted(s, 1);
        List<Object> items = null;
        if (s.forEach() != null) {
            try {
                Object v = Renderer.evaluate(s.forEach(), scope);
                if (!(v instanceof List<?> l)) {
                    throw new ActionException("forEach must give a list, not " + kindOf(v));
                }
                items = new ArrayList<>(l);
            } catch (EvalException e) {
                return fail(s, started, hint(s, "cannot compute forEach: " + e.getMessage()), 1);
            } catch (ActionException e) {
                return fail(s, started, e.getMessage(), 1);
            }
        }
        List<Item> done = new ArrayList<>();
        if (items == null) {
            done.add(runItem(s, handler, scope, -1, null));
        } else if (s.parallel() <= 1 || items.size() <= 1) {
            for (int i = 0; i < items.size(); i++) {
                Item it = runItem(s, handler, itemScope(scope, items, i), i, items.get(i));
                done.add(it);
                if (it.state() == StepState.INTERRUPTED || it.state() == StepState.FAILED) {
                    break;
                }
            }
        } else {
            done.addAll(runParallel(s, handler, scope, items));
        }
        return aggregate(s, items, done, started);
    }

    private static Map<String, Object> itemScope(Map<String, Object> scope, List<Object> items, int i) {
        Map<String, Object> m = new LinkedHashMap<>(scope);
        m.put("item", items.get(i));
        m.put("index", (long) i);
        return m;
    }

    private List<Item> runParallel(Step s, ActionHandler handler, Map<String, Object> scope, List<Object> items) {
        int n = Math.min(s.parallel(), items.size());
        ExecutorService p = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "runbook-" + s.id());
            t.setDaemon(true);
            return t;
        });
        pool = p;
        AtomicBoolean abort = new AtomicBoolean();
        List<Future<Item>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < items.size(); i++) {
                int index = i;
                futures.add(p.submit(() -> {
                    if (abort.get() || interrupted.get()) {
                        return null;
                    }
                    Item it = runItem(s, handler, itemScope(scope, items, index), index, items.get(index));
                    if (it.state() == StepState.FAILED || it.state() == StepState.INTERRUPTED) {
                        abort.set(true);
                    }
                    return it;
                }));
            }
            List<Item> out = new ArrayList<>();
            for (Future<Item> f : futures) {
                try {
                    Item it = f.get();
                    if (it != null) {
                        out.add(it);
                    }
                } catch (java.util.concurrent.CancellationException | InterruptedException e) {
                    out.add(new Item(StepState.INTERRUPTED, Map.of(), null, "interrupted", null, null, 1, false));
                } catch (java.util.concurrent.ExecutionException e) {
                    out.add(new Item(StepState.FAILED, Map.of(), null, "internal error: " + e.getCause(),
                            ActionException.Kind.FAILED, null, 1, false));
                }
            }
            return out;
        } finally {
            p.shutdownNow();
            pool = null;
        }
    }

    /** One execution: render, classify, then run with retries or an until loop, then capture. */
    private Item runItem(Step s, ActionHandler handler, Map<String, Object> scope, int index, Object item) {
        String prefix = index >= 0 ? "[" + index + "] " : "";
        // A sensitive step's output may hold what it captures, which is not known to be secret
        // until the capture ran: none of it is shown.
        Muting out = new Muting(s.sensitive() ? OutputListener.NONE
                : (line, err) -> listeners.stepOutput(s, redactor.redact(prefix + line), err));
        Duration timeout = timeout(s);
        int retries = s.retries() != null ? s.retries() : rb.defaults().retries() != null ? rb.defaults().retries() : 0;
        Duration interval = interval(s);
        boolean prompt = s.action() instanceof Action.Prompt;
        int attempt = 0;
        while (true) {
            attempt++;
            if (attempt > 1) {
                listeners.stepStarted(s, attempt);
            }
            Instant start = Instant.now();
            Instant deadline = timeout == null || prompt ? null : start.plus(timeout);
            ActionContext ac = new ActionContext(ctx, s, scope, false, deadline, prompt ? null : timeout, out);
            Invocation inv;
            try {
                inv = handler.prepare(s, ac);
            } catch (ActionException e) {
                return failedItem(s, e, attempt, ac.answer());
            } catch (RuntimeException e) {
                return failedItem(s, new ActionException("internal error while preparing the step: " + e), attempt, null);
            }
            Effect effect = Effect.of(s, actions, ac::valueOrNull);
            if (options.dryRun() && effect == Effect.MUTATES) {
                return new Item(StepState.WOULD_RUN, Map.of(), inv.describe(), null, null, null, 1, true);
            }
            Object result;
            try {
                if (s.until() != null && !prompt) {
                    result = until(s, inv, ac, out, start, timeout, interval);
                } else {
                    result = inv.run(ac);
                }
            } catch (InterruptedException e) {
                return new Item(StepState.INTERRUPTED, Map.of(), null, "interrupted", null, ac.answer(), attempt, false);
            } catch (ActionException e) {
                if (interrupted.get()) {
                    return new Item(StepState.INTERRUPTED, Map.of(), null, "interrupted", null, ac.answer(), attempt, false);
                }
                if (e.kind() == ActionException.Kind.UNKNOWN) {
                    return new Item(StepState.WOULD_RUN, Map.of(), inv.describe(), null, null, ac.answer(), 1, true);
                }
                if (e.retryable() && attempt <= retries && s.until() == null && !prompt) {
                    listeners.stepRetrying(s, attempt, redactor.redact(e.getMessage()), interval);
                    if (!sleep(interval)) {
                        return new Item(StepState.INTERRUPTED, Map.of(), null, "interrupted", null, null, attempt, false);
                    }
                    continue;
                }
                return failedItem(s, e, attempt, ac.answer());
            } catch (RuntimeException e) {
                return failedItem(s, new ActionException("internal error: " + e), attempt, ac.answer());
            }
            Map<String, Object> outputs;
            try {
                outputs = capture(s, scope, result);
            } catch (ActionException e) {
                return failedItem(s, e, attempt, ac.answer());
            }
            if (options.dryRun() && effect == Effect.PROMPT) {
                return new Item(StepState.WOULD_RUN, outputs, inv.describe(), null, null, ac.answer(), attempt, false);
            }
            return new Item(StepState.SUCCEEDED, outputs, null, null, null, ac.answer(), attempt, false);
        }
    }

    private Item failedItem(Step s, ActionException e, int attempts, Answer answer) {
        if (e.kind() == ActionException.Kind.SKIPPED) {
            return new Item(StepState.SKIPPED, Map.of(), null, e.getMessage(), e.kind(), answer, attempts, false);
        }
        return new Item(StepState.FAILED, Map.of(), null, hint(s, e.getMessage()), e.kind(), answer, attempts, false);
    }

    /**
     * Runs the action every interval until the condition holds. An attempt that could not
     * finish before the timeout is not started: the step fails with the last value seen.
     * Live output is shown for the first attempt only; later ones are summed up in the
     * waiting line, so a two-hour wait does not flood the console.
     */
    private Object until(Step s, Invocation inv, ActionContext ac, Muting out, Instant start, Duration timeout,
                         Duration interval) throws ActionException, InterruptedException {
        int attempt = 0;
        String last = null;
        while (true) {
            attempt++;
            out.mute(attempt > 1);
            try {
                Object result = inv.run(ac);
                Map<String, Object> scope = new LinkedHashMap<>(ac.scope());
                scope.put("result", result);
                Object v;
                try {
                    v = Renderer.evaluate(s.until(), scope);
                } catch (EvalException e) {
                    throw new ActionException("cannot compute until: " + e.getMessage());
                }
                if (!(v instanceof Boolean b)) {
                    throw new ActionException("until must be true or false, not " + kindOf(v));
                }
                if (b) {
                    return result;
                }
                last = "false" + resultHint(result);
            } catch (ActionException e) {
                if (!e.retryable() || interrupted.get()) {
                    throw e;
                }
                // A failed attempt counts as "not yet": a service that is still starting fails its probe.
                last = "error: " + e.getMessage();
            } finally {
                out.mute(false);
            }
            Duration elapsed = Duration.between(start, Instant.now());
            if (timeout != null && elapsed.plus(interval).compareTo(timeout) >= 0) {
                throw new ActionException(ActionException.Kind.TIMED_OUT, "until: " + s.until().source()
                        + " did not hold within " + dev.runbook.lang.Durations.format(timeout) + " (" + attempt
                        + " attempt" + (attempt == 1 ? "" : "s") + "; last: " + last + ")");
            }
            listeners.stepWaiting(s, attempt, elapsed, timeout, redactor.redact(last));
            if (!sleep(interval)) {
                throw new InterruptedException();
            }
        }
    }

    /** Live output that an until loop can silence between its first and its last attempt. */
    private static final class Muting implements OutputListener {
        private final OutputListener target;
        private volatile boolean muted;

        Muting(OutputListener target) {
            this.target = target;
        }

        void mute(boolean m) {
            muted = m;
        }

        @Override
        public void line(String line, boolean stderr) {
            if (!muted) {
                target.line(line, stderr);
            }
        }
    }

    /** A short hint of what a polled action saw: the last line of its output. */
    private static String resultHint(Object result) {
        if (result instanceof Map<?, ?> m && m.get("stdout") instanceof String out && !out.isBlank()) {
            String[] lines = out.strip().split("\n");
            String l = lines[lines.length - 1].strip();
            return " (output: " + (l.length() > 80 ? l.substring(0, 77) + "..." : l) + ")";
        }
        return "";
    }

    private boolean sleep(Duration d) {
        if (interrupted.get()) {
            return false;
        }
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
            return !interrupted.get();
        } catch (InterruptedException e) {
            return false;
        }
    }

    private Map<String, Object> capture(Step s, Map<String, Object> scope, Object result) throws ActionException {
        if (s.capture().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> sc = new LinkedHashMap<>(scope);
        sc.put("result", result);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Capture c : s.capture()) {
            try {
                out.put(c.name(), Renderer.evaluate(c.expr(), sc));
            } catch (EvalException e) {
                throw new ActionException("cannot capture " + c.name() + ": " + e.getMessage());
            }
        }
        return out;
    }

    private StepResult aggregate(Step s, List<Object> items, List<Item> done, Instant started) {
        Instant ended = Instant.now();
        int attempts = done.stream().mapToInt(Item::attempts).max().orElse(1);
        Answer answer = null;
        for (Item it : done) {
            if (it.answer() != null) {
                answer = it.answer();
            }
        }
        if (answer == null) {
            answer = rerunAnswers.get(s.id());
        }
        Item bad = null;
        for (Item it : done) {
            if (it.state() == StepState.INTERRUPTED) {
                bad = it;
                break;
            }
            if (it.state() == StepState.FAILED && bad == null) {
                bad = it;
            }
        }
        if (bad != null) {
            String error = bad.error();
            if (items != null && bad.state() == StepState.FAILED) {
                int i = done.indexOf(bad);
                error = "item " + i + " (" + Renderer.format(items.get(i)) + "): " + error;
            }
            if (bad.state() == StepState.INTERRUPTED) {
                stop = interruptedOutcome();
                return finish(s, new StepResult(s.id(), StepState.INTERRUPTED, Map.of(), started, ended, "interrupted",
                        answer, null, attempts, null), Map.of());
            }
            StepResult r = finish(s, new StepResult(s.id(), StepState.FAILED, Map.of(), started, ended, error, answer,
                    null, attempts, null), Map.of());
            if (bad.kind() == ActionException.Kind.DECLINED || bad.kind() == ActionException.Kind.UNANSWERABLE) {
                stop = new RunOutcome(bad.kind() == ActionException.Kind.DECLINED ? "declined" : "failed",
                        RunOutcome.PROMPT, "step '" + s.id() + "': " + error);
            }
            return r;
        }
        Map<String, Object> outputs;
        if (items == null) {
            outputs = done.get(0).outputs();
        } else {
            outputs = new LinkedHashMap<>();
            for (Capture c : s.capture()) {
                List<Object> l = new ArrayList<>();
                for (Item it : done) {
                    l.add(it.outputs().get(c.name()));
                }
                outputs.put(c.name(), l);
            }
        }
        boolean anyWould = done.stream().anyMatch(it -> it.state() == StepState.WOULD_RUN);
        boolean unknownOut = done.stream().anyMatch(Item::unknownOutputs);
        if (anyWould) {
            Object would = items == null ? done.get(0).wouldRun() : done.stream().map(Item::wouldRun).toList();
            if (unknownOut) {
                unknown.add(s.id());
                outputs = Map.of();
            }
            return finish(s, new StepResult(s.id(), StepState.WOULD_RUN, outputs, started, ended, null, answer,
                    redactor.redactValue(would), attempts, null), outputs);
        }
        if (!done.isEmpty() && done.stream().allMatch(it -> it.state() == StepState.SKIPPED)) {
            return finish(s, new StepResult(s.id(), StepState.SKIPPED, Map.of(), started, ended, null, answer, null,
                    attempts, done.get(0).error()), Map.of());
        }
        return finish(s, new StepResult(s.id(), StepState.SUCCEEDED, outputs, started, ended, null, answer, null,
                attempts, items != null && items.isEmpty() ? "forEach gave no items" : null), outputs);
    }

    // ---- results ------------------------------------------------------------------------------

    private StepResult simple(Step s, StepState state, Instant at, String error, String note) {
        return new StepResult(s.id(), state, Map.of(), at, at, error, null, null, 0, note);
    }

    /**
     * The members of a group that does not run share its fate, so that every step has a
     * result: skipped, satisfied or blocked with the group.
     */
    private void members(Step group, StepState state) {
        if (!(group.action() instanceof Action.Group g)) {
            return;
        }
        for (Step c : g.steps()) {
            if (results.containsKey(c.id())) {
                continue;
            }
            Instant now = Instant.now();
            finish(c, simple(c, state, now, null, "group '" + group.id() + "' is " + state.word()), Map.of());
            members(c, state);
        }
    }

    private StepResult fail(Step s, Instant started, String error, int attempts) {
        return finish(s, new StepResult(s.id(), StepState.FAILED, Map.of(), started, Instant.now(), error, null, null,
                attempts, null), Map.of());
    }

    /**
     * Records a final result: the real outputs go into the scope of later steps; the listeners
     * get a redacted copy (a sensitive step's outputs are masked whole).
     */
    private StepResult finish(Step s, StepResult r, Map<String, Object> realOutputs) {
        if (s.sensitive()) {
            for (Object v : realOutputs.values()) {
                addSensitive(v);
            }
        }
        record(s, r, realOutputs, true);
        Map<String, Object> shown;
        if (s.sensitive() && !realOutputs.isEmpty()) {
            shown = new LinkedHashMap<>();
            for (String k : realOutputs.keySet()) {
                shown.put(k, Redactor.MASK);
            }
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) redactor.redactValue(r.outputs());
            shown = m == null ? Map.of() : m;
        }
        StepResult out = new StepResult(r.id(), r.state(), shown, r.startedAt(), r.endedAt(), redactor.redact(r.error()),
                r.answer(), redactor.redactValue(r.wouldRun()), r.attempts(), redactor.redact(r.note()));
        listeners.stepFinished(s, out);
        return r;
    }

    private void addSensitive(Object v) {
        if (v instanceof Map<?, ?> m) {
            m.values().forEach(this::addSensitive);
        } else if (v instanceof List<?> l) {
            l.forEach(this::addSensitive);
        } else if (v instanceof String || v instanceof Number) {
            redactor.add(v);
        }
    }

    private void record(Step s, StepResult r, Map<String, Object> outputs, boolean fresh) {
        results.put(s.id(), r);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("outputs", outputs == null ? Map.of() : outputs);
        entry.put("status", r.state().word());
        stepsScope.put(s.id(), entry);
        boolean main = !failureStepIds.contains(s.id());
        if (fresh && main && (r.state() == StepState.FAILED || r.state() == StepState.BLOCKED) && !failed) {
            failed = true;
            firstFailure = "step '" + s.id() + "' " + r.state().word() + (r.error() != null ? ": " + r.error() : "");
        } else if (fresh && main && (r.state() == StepState.FAILED || r.state() == StepState.BLOCKED)) {
            failed = true;
        }
    }

    private StepState state(String id) {
        StepResult r = results.get(id);
        return r == null ? StepState.PENDING : r.state();
    }

    private String blockedBy(Step s) {
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            StepState st = state(e.to());
            if (st == StepState.FAILED || st == StepState.BLOCKED) {
                return e.to();
            }
        }
        return null;
    }

    // ---- dry run ------------------------------------------------------------------------------

    private String readsUnknown(Step s) {
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            if (e.kind() == StepGraph.Kind.READS && unknown.contains(e.to())) {
                return e.to();
            }
        }
        return null;
    }

    /**
     * A step that reads what a dry run could not produce. A mutating step is still shown as
     * would-run, with the unknown values as {@code ${{ ... }}}; any other step is skipped as not
     * rehearsable. Either way its own outputs become unknown.
     */
    private StepResult notRehearsable(Step s, Map<String, Object> scope, String source, Instant now) {
        unknown.add(s.id());
        String why = "reads step '" + source + "', whose outputs a dry run does not produce";
        if (!(s.action() instanceof Action.Group)) {
            try {
                ActionHandler h = handlers.of(s);
                Map<String, Object> sc = new LinkedHashMap<>(scope);
                if (s.forEach() != null) {
                    sc.put("item", null);
                    sc.put("index", null);
                }
                ActionContext pc = new ActionContext(ctx, s, sc, true, null, null, OutputListener.NONE);
                Invocation inv = h.prepare(s, pc);
                if (Effect.of(s, actions, pc::valueOrNull) == Effect.MUTATES) {
                    return finish(s, new StepResult(s.id(), StepState.WOULD_RUN, Map.of(), now, now, null, null,
                            inv.describe(), 0, "some values are known only in a real run: " + why), Map.of());
                }
            } catch (ActionException | RuntimeException e) {
                // fall through: not rehearsable
            }
        } else {
            for (Step c : ((Action.Group) s.action()).steps()) {
                markUnknown(c);
            }
        }
        return finish(s, simple(s, StepState.SKIPPED, now, null, "not rehearsable: " + why), Map.of());
    }

    private void markUnknown(Step s) {
        unknown.add(s.id());
        StepResult r = simple(s, StepState.SKIPPED, Instant.now(), null, "not rehearsable: its group is not");
        finish(s, r, Map.of());
        if (s.action() instanceof Action.Group g) {
            for (Step c : g.steps()) {
                markUnknown(c);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A context for checks before the run (the preflight): no deadline, no output. */
    private ActionContext context(Step s) {
        return new ActionContext(ctx, s, base, true, null, null, OutputListener.NONE);
    }

    private boolean bool(Expr e, Map<String, Object> scope, String field) throws ActionException {
        Object v;
        try {
            v = Renderer.evaluate(e, scope);
        } catch (EvalException ex) {
            throw new ActionException("cannot compute " + field + ": " + ex.getMessage());
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw new ActionException(field + " must be true or false, not " + kindOf(v));
    }

    /** Adds why a value is missing when the step reads a step that did not run. */
    private String hint(Step s, String message) {
        if (message == null || !(message.contains("no such key") || message.contains("not present in map")
                || message.contains("no key '"))) {
            return message;
        }
        for (StepGraph.Edge e : graph.edgesFrom(s.id())) {
            StepResult r = results.get(e.to());
            if (e.kind() == StepGraph.Kind.READS && !e.outputs().isEmpty() && r != null
                    && (r.state() == StepState.SKIPPED || r.state() == StepState.SATISFIED)) {
                return message + " (step '" + e.to() + "' was " + r.state().word() + ", so it has no outputs)";
            }
        }
        return message;
    }

    private Duration timeout(Step s) {
        return s.timeout() != null ? s.timeout() : rb.defaults().timeout();
    }

    private Duration interval(Step s) {
        return s.interval() != null ? s.interval() : rb.defaults().interval() != null ? rb.defaults().interval() : DEFAULT_INTERVAL;
    }

    static String kindOf(Object v) {
        return dev.runbook.lang.yaml.YScalar.kindOf(v) + (v instanceof String str ? " '" + str + "'" : "");
    }
}
