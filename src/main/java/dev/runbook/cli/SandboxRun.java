package dev.runbook.cli;

import dev.runbook.engine.Cancellation;
import dev.runbook.engine.ExitCodes;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOptions;
import dev.runbook.journal.JournalListener;
import dev.runbook.journal.RunDir;
import dev.runbook.sandbox.Sandbox;
import dev.runbook.sandbox.SandboxConfig;
import dev.runbook.sandbox.SandboxException;
import dev.runbook.sandbox.WriteAttribution;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The sandbox of a {@code run --sandbox DIR} or of the resume of such a run: started in the run's
 * directory, remembered there (file {@value #REMEMBERED}) so that a resume needs no
 * {@code --sandbox}, its writes journaled with their step. Only used when a run has a sandbox, so
 * real runs never load the server classes.
 */
final class SandboxRun implements AutoCloseable {
    /** The file of a run's directory that names the sandbox DIR the run was started with. */
    static final String REMEMBERED = "sandbox";

    private final Sandbox sandbox;
    private final WriteAttribution attribution;
    private final AutoCloseable abandonment;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private SandboxRun(Sandbox sandbox, WriteAttribution attribution, Cancellation cancellation) {
        this.sandbox = sandbox;
        this.attribution = attribution;
        // A run in a process that runs several may be abandoned when it does not stop: its world
        // (controllers are processes, the servers threads and ports) is then closed from outside.
        this.abandonment = cancellation == null ? () -> { } : cancellation.onAbandon(this::closeWorld);
    }

    /** DIR made absolute once it is known to be a sandbox with a valid sandbox.yaml; exit 2 otherwise. */
    static Path checked(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            SandboxConfig.checkDir(abs);
        } catch (SandboxException e) {
            throw new ExitException(ExitCodes.INVALID, "runbook: " + e.getMessage());
        }
        return abs;
    }

    /** The sandbox DIR a run was started with, or null for a run against the real targets. */
    static Path remembered(RunDir run) {
        Path file = run.dir().resolve(REMEMBERED);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Path.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            throw new ExitException(ExitCodes.INVALID, "runbook: cannot read " + file + ", which names the run's sandbox: "
                    + e.getMessage());
        }
    }

    /**
     * The sandbox a resume acts on: the one the run remembers; {@code given} (its {@code --sandbox})
     * must name the same DIR. Null when the run is not a sandbox run and none is given.
     */
    static Path forResume(RunDir run, Path given) {
        Path before = remembered(run);
        if (given == null) {
            return before;
        }
        Path now = given.toAbsolutePath().normalize();
        if (before == null) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + run.id() + " acted on the real targets:"
                    + " it can't be resumed in a sandbox (start a new run with --sandbox)");
        }
        if (!sameDir(before, now)) {
            throw new ExitException(ExitCodes.INVALID, "runbook: run " + run.id() + " was started with --sandbox "
                    + before + ", not " + now + ": resume it without --sandbox, or with the same DIR");
        }
        return before;
    }

    private static boolean sameDir(Path a, Path b) {
        try {
            return a.equals(b) || Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Starts the world of {@code dir} in the run's directory (its copy reused on resume), after
     * remembering {@code dir} there; its writes go to the run's journal.
     */
    static SandboxRun start(Path dir, RunDir run, JournalListener journal, Host host) {
        Path file = run.dir().resolve(REMEMBERED);
        try {
            if (!Files.isRegularFile(file)) {
                Files.writeString(file, dir + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ExitException(ExitCodes.INVALID, "runbook: cannot write " + file + ": " + e.getMessage());
        }
        WriteAttribution attribution = new WriteAttribution(journal::sandboxWrite);
        try {
            return new SandboxRun(Sandbox.start(dir, run.dir(), attribution), attribution, host.cancellation());
        } catch (SandboxException e) {
            throw new ExitException(ExitCodes.INVALID, "runbook: " + e.getMessage());
        }
    }

    /**
     * Points the run at the world: handlers find it as {@code world()}, and expressions read its
     * KUBECONFIG, PATH and RUNBOOK_SANDBOX as {@code env}.
     */
    RunOptions.Builder apply(RunOptions.Builder builder, Map<String, String> env) {
        Map<String, String> overlaid = new HashMap<>(env);
        overlaid.putAll(sandbox.processEnvironment());
        return builder.world(sandbox).env(overlaid);
    }

    /** Knows which step runs, for the writes. */
    RunListener listener() {
        return attribution;
    }

    @Override
    public void close() {
        try {
            abandonment.close();
        } catch (Exception e) {
            // only forgets the registration
        }
        closeWorld();
    }

    /** Once: the run's own close and an abandonment may both come. */
    private void closeWorld() {
        if (closed.compareAndSet(false, true)) {
            sandbox.close();
        }
    }
}
