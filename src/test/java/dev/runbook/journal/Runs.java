package dev.runbook.journal;

import dev.runbook.engine.Answer;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.StepState;
import dev.runbook.lang.model.Runbook;
import dev.runbook.secrets.Redactor;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Runs in a state directory, made through the journal listener, for tests of other packages. */
public final class Runs {
    private Runs() {
    }

    /** A run that succeeded, with an answer and outputs; started at {@code at}. */
    public static RunDir succeeded(Path state, Instant at) {
        Runbook rb = Fixtures.runbook();
        RunDir dir = RunStore.at(state).create(rb.name(), at);
        JournalListener l = JournalListener.newRun(dir, rb, null, new Redactor());
        var info = Fixtures.info(dir.id(), false, at);
        l.runStarted(info);
        Fixtures.Player p = new Fixtures.Player(l, rb, at);
        p.finish("traffic-stopped", StepState.SUCCEEDED, Map.of("value", true), null, new Answer("yes", "alice", at, "terminal"), null);
        p.finish("token", StepState.SUCCEEDED, Map.of(), null, new Answer("***", "alice", at, "terminal"), null);
        p.ok("pods", Map.of("names", List.of("cassandra-0", "cassandra-1")));
        p.ok("creds", Map.of());
        p.ok("section", Map.of());
        p.ok("restore", Map.of());
        p.ok("verify", Map.of());
        l.runFinished(info, new RunOutcome("succeeded", 0, null));
        return dir;
    }

    /** A run whose process died while "restore" ran. */
    public static RunDir crashed(Path state, Instant at) {
        Runbook rb = Fixtures.runbook();
        RunDir dir = RunStore.at(state).create(rb.name(), at);
        JournalListener l = JournalListener.newRun(dir, rb, null, new Redactor());
        l.runStarted(Fixtures.info(dir.id(), false, at));
        Fixtures.Player p = new Fixtures.Player(l, rb, at);
        p.ok("traffic-stopped", Map.of());
        p.ok("pods", Map.of("names", List.of("cassandra-0")));
        p.start("section");
        p.start("restore");
        return dir;
    }

    /** A dry run (see {@link ReportTest#dryRun}). */
    public static RunDir dryRun(Path state) {
        return ReportTest.dryRun(state);
    }
}
