package dev.runbook.sandbox;

import dev.runbook.engine.RunListener;
import dev.runbook.engine.StepResult;
import dev.runbook.journal.JournalRecord;
import dev.runbook.lang.model.Step;
import dev.runbook.sandbox.kube.KubeWrite;
import dev.runbook.sandbox.kube.WriteListener;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;

/**
 * Gives each write the sandbox's API server accepts the step that was running when it came: the
 * innermost step started last and not yet finished (in a parallel forEach, the step id is what
 * counts, whichever item made the write). Writes while no step runs (a controller's) have none.
 */
public final class WriteAttribution implements RunListener, WriteListener {
    private final Deque<String> running = new ConcurrentLinkedDeque<>();
    private final Consumer<JournalRecord.SandboxWrite> record;

    public WriteAttribution(Consumer<JournalRecord.SandboxWrite> record) {
        this.record = record;
    }

    @Override
    public void stepStarted(Step step, int attempt) {
        running.remove(step.id());
        running.addLast(step.id());
    }

    @Override
    public void stepFinished(Step step, StepResult result) {
        running.removeLastOccurrence(step.id());
    }

    @Override
    public void onWrite(KubeWrite w) {
        record.accept(new JournalRecord.SandboxWrite(w.at(), running.peekLast(), w.verb(), w.resource(),
                w.subresource(), w.namespace(), w.name()));
    }
}
