package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.RunInfo;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.StepResult;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Param;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import dev.runbook.secrets.Redactor;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's journal, its directory's copies of the runbook and params, and at the end
 * its report. Each call returns once its record is on disk, so the engine, which calls
 * {@link #stepStarted} before an action starts, never runs an action whose start is not
 * recorded. A failure to write throws {@link JournalException}: the engine must stop the run.
 *
 * <p>For a new run use {@link #newRun}; for a resume, {@link #resume}, which continues the
 * same journal with a resumed record instead of run-started.
 */
public final class JournalListener implements RunListener {
    private final RunDir dir;
    private final Runbook runbook;
    private final String fromStep;
    private final Redactor redactor;
    private final boolean resuming;
    private final List<StepDef> defs;
    private Journal journal;
    private DefinitionHash.Changes changes;
    private boolean contextChanged;
    private String reportProblem;
    /** Sandbox writes heard before the journal was open (a controller's first move): appended once it is. */
    private final List<JournalRecord.SandboxWrite> early = new java.util.ArrayList<>();
    private boolean closed;
    private boolean started;

    private JournalListener(RunDir dir, Runbook runbook, String fromStep, Redactor redactor, boolean resuming) {
        this.dir = dir;
        this.runbook = runbook;
        this.fromStep = fromStep;
        this.redactor = redactor == null ? new Redactor() : redactor;
        this.resuming = resuming;
        this.defs = DefinitionHash.defs(runbook);
    }

    /** The journal of a new run in {@code dir} (made by {@link RunStore#create}). */
    public static JournalListener newRun(RunDir dir, Runbook runbook, String fromStep, Redactor redactor) {
        return new JournalListener(dir, runbook, fromStep, redactor, false);
    }

    /**
     * Continues the journal of an existing run, for {@code runbook resume}; take the run's
     * {@link RunLock} first. The journal is read
     * (and a torn last record cut off) at once, so a damaged journal stops the resume before
     * anything runs; {@link #changes()} then tells which steps differ from the recorded ones.
     */
    public static JournalListener resume(RunDir dir, Runbook runbook, String fromStep, Redactor redactor) {
        JournalListener l = new JournalListener(dir, runbook, fromStep, redactor, true);
        RunState before = RunState.of(dir.readJournal(), false);
        l.journal = Journal.continueAt(dir.journal(), l.redactor);
        l.changes = DefinitionHash.diff(before.definitions(), l.defs);
        l.contextChanged = before.contextSha256() != null && !before.contextSha256().equals(DefinitionHash.context(runbook));
        return l;
    }

    /** For a resume: steps that are new or changed, and steps removed, since the run last started. */
    public DefinitionHash.Changes changes() {
        return changes == null ? new DefinitionHash.Changes(List.of(), List.of()) : changes;
    }

    /** For a resume: whether params, vars, targets or defaults changed in the runbook. */
    public boolean contextChanged() {
        return contextChanged;
    }

    public RunDir dir() {
        return dir;
    }

    @Override
    public void runStarted(RunInfo info) {
        begin(info);
        synchronized (this) {
            started = true;
            early.forEach(journal::append);
            early.clear();
        }
    }

    /**
     * Records a write that a sandbox run's API server accepted (SPEC 6.1); any thread. Writes
     * after the run's end (a controller still busy) are left to the world's own record.
     */
    public synchronized void sandboxWrite(JournalRecord.SandboxWrite write) {
        if (closed) {
            return;
        }
        if (!started) {
            early.add(write);
            return;
        }
        journal.append(write);
    }

    private void begin(RunInfo info) {
        String text = runbook.source() == null ? "" : runbook.source();
        Instant at = info.startedAt() != null ? info.startedAt() : Instant.now();
        if (resuming) {
            dir.writeRunbookCopy(text);
            journal.append(new JournalRecord.Resumed(at, info.user(), info.host(), info.pid(), fromStep,
                    DefinitionHash.ofText(text), DefinitionHash.context(runbook), contextChanged, defs,
                    changes.changed(), changes.removed()));
            return;
        }
        Map<String, Object> params = nonSecret(info.params());
        dir.writeRunbookCopy(text);
        dir.writeParams(params);
        journal = Journal.create(dir.journal(), redactor);
        journal.append(new JournalRecord.RunStarted(at, info.runId(), runbook.name(), runbook.title(), where(info.runbookFile()),
                DefinitionHash.ofText(text), DefinitionHash.context(runbook), defs, params, info.dryRun(), fromStep,
                info.user(), info.host(), info.pid()));
    }

    @Override
    public void stepStarted(Step step, int attempt) {
        journal().append(new JournalRecord.StepStarted(Instant.now(), step.id(), attempt));
    }

    @Override
    public void stepFinished(Step step, StepResult result) {
        // A secret prompt's outputs hold its answer: kept off the disk like a sensitive step's.
        boolean sensitive = step.sensitive() || isSecretPrompt(step);
        Map<String, Object> outputs = sensitive || result.outputs() == null ? Map.of() : result.outputs();
        journal().append(new JournalRecord.StepFinished(Instant.now(), step.id(), result.state(),
                Math.max(result.attempts(), 0), result.startedAt(), result.endedAt(), outputs, sensitive,
                result.error(), answer(step, result.answer()), result.wouldRun()));
    }

    @Override
    public void runFinished(RunInfo info, RunOutcome outcome) {
        Journal j = journal();
        synchronized (this) {
            closed = true;
        }
        try {
            j.append(new JournalRecord.RunFinished(Instant.now(), outcome.state(), outcome.exitCode(), outcome.message()));
        } finally {
            j.close();
        }
        // The report is made from the journal as written, so the two can never disagree. A
        // report that can't be written does not change how the run ended: the engine shows
        // reportProblem() as a warning.
        try {
            dir.writeReport(Report.markdown(RunState.of(dir.readJournal(), false)));
        } catch (JournalException e) {
            reportProblem = e.getMessage();
        }
    }

    /** Why the report could not be written at the end of the run; null when it was. */
    public String reportProblem() {
        return reportProblem;
    }

    private Journal journal() {
        if (journal == null) {
            throw new IllegalStateException("runStarted was not called before the first step");
        }
        return journal;
    }

    /**
     * The runbook's path as recorded: a relative path that names a file from here is made
     * absolute, so that a resume started in another directory finds the file (and its edits).
     */
    private static String where(String file) {
        if (file == null) {
            return null;
        }
        try {
            Path p = Path.of(file);
            return !p.isAbsolute() && Files.isRegularFile(p) ? p.toAbsolutePath().normalize().toString() : file;
        } catch (InvalidPathException e) {
            return file;
        }
    }

    /** The run's params without any declared secret, whatever the caller passed. */
    private Map<String, Object> nonSecret(Map<String, Object> params) {
        return runbook.publicParams(params);
    }

    /** The answer to record: a secret prompt's value is masked here too. */
    private static Answer answer(Step step, Answer a) {
        if (a == null) {
            return null;
        }
        if (isSecretPrompt(step) && a.value() != null) {
            return new Answer(Redactor.MASK, a.by(), a.at(), a.source());
        }
        return a;
    }

    private static boolean isSecretPrompt(Step step) {
        return step.action() instanceof Action.Prompt
                && "secret".equals(((Action.Prompt) step.action()).type());
    }
}
