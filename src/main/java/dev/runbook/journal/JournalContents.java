package dev.runbook.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What a journal file holds: its intact records in order, and warnings for what was left out
 * (a torn last record, a record type this version does not know).
 *
 * @param validLength the byte length of the intact part: a writer continuing the journal cuts
 *                    the file back to this before appending
 * @param lines       intact lines, unknown types included: the next record's {@code seq} is lines + 1
 */
public record JournalContents(Path file, List<JournalRecord> records, List<String> warnings, long validLength,
                              int lines) {
    public JournalContents {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }
}
