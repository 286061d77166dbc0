package dev.runbook.engine;

import dev.runbook.expr.CompiledExpressions;
import dev.runbook.lang.ActionCatalog;
import dev.runbook.lang.StepSettings;
import dev.runbook.lang.model.Runbook;
import dev.runbook.proc.ProcessRunner;
import dev.runbook.secrets.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What every action of one run shares: the options, the redactor, the local process runner,
 * and per-run resources such as connections that a handler opens once and reuses.
 */
public final class RunContext implements AutoCloseable {
    private final Runbook runbook;
    private final ActionCatalog actions;
    private final CompiledExpressions expressions;
    private final StepSettings settings;
    private final RunOptions options;
    private final Redactor redactor;
    private final ProcessRunner processes;
    private final String runId;
    private final String user;
    private final Map<String, Object> resources = new ConcurrentHashMap<>();
    private final List<AutoCloseable> closeOrder = new ArrayList<>();
    private final java.util.Set<Runnable> stoppers = ConcurrentHashMap.newKeySet();
    private volatile boolean interrupted;

    RunContext(Runbook runbook, ActionCatalog actions, CompiledExpressions expressions, StepSettings settings,
               RunOptions options, Redactor redactor, String runId, String user) {
        this.runbook = runbook;
        this.actions = actions;
        this.expressions = expressions;
        this.settings = settings;
        this.options = options;
        this.redactor = redactor;
        this.runId = runId;
        this.user = user;
        // A sandbox run's local processes find its stubs first and reach its cluster (SPEC 6.1).
        this.processes = new ProcessRunner(runId, options.world() == null ? Map.of() : options.world().processEnvironment(),
                options.workDir());
    }

    public Runbook runbook() {
        return runbook;
    }

    /** The simulated world of a sandbox run, or null for a real run. */
    public SimulatedWorld world() {
        return options.world();
    }

    /** The action types the runbook was read with. */
    public ActionCatalog actions() {
        return actions;
    }

    /** The runbook's templates and expressions as the checker compiled them: what rendering uses. */
    public CompiledExpressions expressions() {
        return expressions;
    }

    /** Each step's retries, interval and timeout, as computed when the params were bound. */
    public StepSettings settings() {
        return settings;
    }

    public RunOptions options() {
        return options;
    }


    public Redactor redactor() {
        return redactor;
    }

    public ProcessRunner processes() {
        return processes;
    }

    public String runId() {
        return runId;
    }

    /** The OS user running this process: who answered a prompt. */
    public String user() {
        return user;
    }

    /**
     * A resource shared by the actions of this run (an SSH session per target, a Kubernetes
     * client per context), made on first use and closed, when it is {@link AutoCloseable},
     * when the run ends, last made first closed.
     */
    @SuppressWarnings("unchecked")
    public <T> T resource(String key, Supplier<T> make) {
        synchronized (resources) {
            Object r = resources.get(key);
            if (r == null) {
                r = make.get();
                resources.put(key, r);
                if (r instanceof AutoCloseable c) {
                    closeOrder.add(c);
                }
            }
            return (T) r;
        }
    }

    /**
     * Registers how to stop an action that is not a local process (close a Kubernetes watch,
     * an ssh channel) when the run is interrupted. Runs at once when the run already is.
     * Close the returned handle when the action ends.
     */
    public AutoCloseable onInterrupt(Runnable stop) {
        stoppers.add(stop);
        if (interrupted) {
            stop.run();
        }
        return () -> stoppers.remove(stop);
    }

    /** The run is being interrupted: stop local process trees and every registered action. */
    void interrupt() {
        interrupted = true;
        processes.stopAll();
        for (Runnable r : stoppers) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // stopping is best effort; the step is recorded interrupted either way
            }
        }
    }

    @Override
    public void close() {
        processes.close();
        synchronized (resources) {
            for (int i = closeOrder.size() - 1; i >= 0; i--) {
                try {
                    closeOrder.get(i).close();
                } catch (Exception e) {
                    // closing at the end of a run: nothing useful left to do with the error
                }
            }
            closeOrder.clear();
            resources.clear();
        }
    }
}
