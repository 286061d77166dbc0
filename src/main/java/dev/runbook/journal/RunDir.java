package dev.runbook.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * One run's directory: {@code journal.jsonl}, {@code runbook.yaml} (the runbook as the run
 * began), {@code params.yaml} (non-secret params), {@code report.md}, and {@code lock}.
 */
public record RunDir(String id, Path dir) {
    public static final String RUNBOOK = "runbook.yaml";
    public static final String PARAMS = "params.yaml";
    public static final String REPORT = "report.md";

    public Path journal() {
        return dir.resolve(Journal.FILE_NAME);
    }

    public Path runbookCopy() {
        return dir.resolve(RUNBOOK);
    }

    public Path params() {
        return dir.resolve(PARAMS);
    }

    public Path report() {
        return dir.resolve(REPORT);
    }

    public Path lockFile() {
        return dir.resolve(RunLock.FILE_NAME);
    }

    /** Reads the journal; damage other than a torn last record is a {@link JournalException}. */
    public JournalContents readJournal() {
        return Journal.read(journal());
    }

    /**
     * The run's state from its journal. A run whose journal does not end with run-finished is
     * {@code running} while a process holds its lock, else {@code interrupted}.
     */
    public RunState state() {
        JournalContents c = readJournal();
        return RunState.of(c, RunLock.holder(dir).isPresent());
    }

    /** When the run started, from the first line of its journal; empty when that can't be read. */
    Optional<Instant> startedAt() {
        try {
            JournalContents c = readJournal();
            return c.isEmpty() ? Optional.empty() : Optional.of(c.records().get(0).at());
        } catch (JournalException e) {
            return Optional.empty();
        }
    }

    /**
     * Saves the runbook's text. When the copy exists with a different text (a resume of an
     * edited runbook), the old text is kept as {@code runbook-SHA12.yaml} first, so the report
     * can always be matched with what ran.
     */
    public void writeRunbookCopy(String text) {
        Path target = runbookCopy();
        try {
            if (Files.exists(target)) {
                String old = Files.readString(target, StandardCharsets.UTF_8);
                if (old.equals(text)) {
                    return;
                }
                Path keep = dir.resolve("runbook-" + DefinitionHash.ofText(old).substring(0, 12) + ".yaml");
                if (!Files.exists(keep)) {
                    Durable.write(keep, old.getBytes(StandardCharsets.UTF_8));
                }
            }
            Durable.write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JournalException("cannot write " + target + ": " + Journal.reason(e), e);
        }
    }

    /** Saves the non-secret params as YAML, readable by {@code --params}. */
    public void writeParams(Map<String, Object> nonSecret) {
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        String body = nonSecret.isEmpty() ? "{}\n" : new Dump(settings).dumpToString(nonSecret);
        String text = "# Params of run " + id + ". Secret params are never written: give them again on resume.\n" + body;
        try {
            Durable.write(params(), text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JournalException("cannot write " + params() + ": " + Journal.reason(e), e);
        }
    }

    public void writeReport(String markdown) {
        try {
            Durable.write(report(), markdown.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JournalException("cannot write the report " + report() + ": " + Journal.reason(e), e);
        }
    }
}
