package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.Answer;
import dev.runbook.engine.StepState;
import dev.runbook.secrets.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    static final Instant T0 = Instant.parse("2026-11-23T03:15:00Z");

    @TempDir
    Path tmp;

    private Path journalWith(int steps) {
        Path file = tmp.resolve("journal.jsonl");
        try (Journal j = Journal.create(file, new Redactor())) {
            j.append(new JournalRecord.RunStarted(T0, "20261123-031500-demo-0a0b", "demo", null, "demo.yaml", "abc", "def",
                    List.of(new StepDef("a", null, null, "h", false)), Map.of("n", 1L), false, null, "alice", "h1", 7));
            for (int i = 0; i < steps; i++) {
                j.append(new JournalRecord.StepStarted(T0.plusSeconds(i), "s" + i, 1));
                j.append(new JournalRecord.StepFinished(T0.plusSeconds(i + 1), "s" + i, StepState.SUCCEEDED, 1,
                        T0.plusSeconds(i), T0.plusSeconds(i + 1), Map.of("i", (long) i, "text", "line\nwith ünïcode | \"quotes\""),
                        false, null, null, null));
            }
        }
        return file;
    }

    @Test
    void everyRecordTypeReadsBackAsWritten() {
        Path file = tmp.resolve("journal.jsonl");
        Answer answer = new Answer("yes", "alice", T0.plusSeconds(3), "terminal");
        JournalRecord[] written = {
            new JournalRecord.RunStarted(T0, "20261123-031500-demo-0a0b", "demo", "Demo", "demo.yaml", "abc", "ctx",
                    List.of(new StepDef("a", "Step A", null, "h1", false), new StepDef("b", null, "a", "h2", true)),
                    Map.of("n", 1L, "list", List.of("x", 2L)), true, "a", "alice", "h1", 7),
            new JournalRecord.StepStarted(T0.plusSeconds(1), "a", 2),
            new JournalRecord.StepFinished(T0.plusSeconds(2), "a", StepState.WOULD_RUN, 2, T0.plusSeconds(1), T0.plusSeconds(2),
                    Map.of("big", 12345678901234L, "f", 1.5), true, "boom", answer, List.of("apicup", "restore")),
            new JournalRecord.Resumed(T0.plusSeconds(5), "bob", "h2", 9, "b", "abd", "ctx2", true,
                    List.of(new StepDef("a", null, null, "h1", false)), List.of("b"), List.of("c")),
            new JournalRecord.RunFinished(T0.plusSeconds(9), "failed", 1, "step a failed"),
        };
        try (Journal j = Journal.create(file, null)) {
            for (JournalRecord r : written) {
                j.append(r);
            }
            assertThat(j.lines()).isEqualTo(5);
        }
        JournalContents c = Journal.read(file);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.records()).containsExactly(written);
        assertThat(c.validLength()).isEqualTo(size(file));
    }

    @Test
    void eachLineIsJsonWithSeqFirstAndItsChecksumLast() throws IOException {
        Path file = journalWith(1);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            assertThat(l).startsWith("{\"seq\":" + (i + 1) + ",\"type\":\"").matches(".*,\"crc\":\"[0-9a-f]{8}\"}$");
            int cut = l.lastIndexOf(",\"crc\":");
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(l.substring(0, cut).getBytes(StandardCharsets.UTF_8));
            assertThat(l.substring(cut + 8, cut + 16)).isEqualTo(String.format("%08x", crc.getValue()));
        }
    }

    @Test
    void aTornLastRecordIsIgnoredWithAWarningAtEveryByteOffset() throws IOException {
        Path file = journalWith(3);
        byte[] whole = Files.readAllBytes(file);
        int lastStart = lastLineStart(whole);
        List<JournalRecord> complete = Journal.read(file).records();
        for (int cut = lastStart + 1; cut < whole.length; cut++) {
            Path torn = tmp.resolve("torn.jsonl");
            Files.write(torn, Arrays.copyOf(whole, cut));
            JournalContents c = Journal.read(torn);
            if (cut == whole.length - 1) {
                // Only the newline is missing: the record is whole and its checksum holds.
                assertThat(c.records()).isEqualTo(complete);
                assertThat(c.warnings()).isEmpty();
            } else {
                assertThat(c.records()).as("cut at %d", cut).isEqualTo(complete.subList(0, complete.size() - 1));
                assertThat(c.warnings()).as("cut at %d", cut).hasSize(1);
                assertThat(c.warnings().get(0)).contains("line 7").contains("last record is incomplete");
                assertThat(c.validLength()).isEqualTo(lastStart);
            }
        }
    }

    @Test
    void zeroBytesAfterAPowerLossReadAsATornLastRecord() throws IOException {
        Path file = journalWith(2);
        Files.write(file, new byte[4096], java.nio.file.StandardOpenOption.APPEND);
        JournalContents c = Journal.read(file);
        assertThat(c.records()).hasSize(5);
        assertThat(c.warnings()).singleElement().asString().contains("line 6").contains("zero bytes");
    }

    @Test
    void everySingleByteChangeInTheLastRecordIsCaught() throws IOException {
        Path file = journalWith(1);
        byte[] whole = Files.readAllBytes(file);
        int lastStart = lastLineStart(whole);
        for (int i = lastStart; i < whole.length - 1; i++) {
            byte[] b = whole.clone();
            b[i] = (byte) (b[i] ^ 0x01);
            Path bad = tmp.resolve("bad.jsonl");
            Files.write(bad, b);
            JournalContents c = Journal.read(bad);
            assertThat(c.records()).as("flip at %d", i).hasSize(2);
            assertThat(c.warnings()).as("flip at %d", i).hasSize(1);
        }
    }

    @Test
    void aDamagedRecordThatIsNotLastIsAnErrorNamingFileAndLine() throws IOException {
        Path file = journalWith(3);
        List<String> lines = Files.readAllLines(file);
        lines.set(3, lines.get(3).replace("\"s1\"", "\"s9\""));
        Files.write(file, lines);
        assertThatThrownBy(() -> Journal.read(file))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line 4 of 7")
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("changed or corrupted");
    }

    @Test
    void aRepeatedOrDroppedLineIsCaughtBySeq() throws IOException {
        Path file = journalWith(2);
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines);
        assertThatThrownBy(() -> Journal.read(file))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("line 3 of 4")
                .hasMessageContaining("sequence number is 4, not 3");
    }

    @Test
    void garbageIsNotAJournal() throws IOException {
        Path file = tmp.resolve("journal.jsonl");
        Files.writeString(file, "hello\nworld\nthis is not a journal\n");
        assertThatThrownBy(() -> Journal.read(file))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("line 1 of 3")
                .hasMessageContaining("does not end with a checksum");
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, '\n', 'x', '\n'});
        assertThatThrownBy(() -> Journal.read(file)).isInstanceOf(JournalException.class).hasMessageContaining("line 1 of 2");
    }

    @Test
    void aJournalMustBeginWithRunStarted() {
        Path file = tmp.resolve("journal.jsonl");
        try (Journal j = Journal.create(file, null)) {
            j.append(new JournalRecord.StepStarted(T0, "a", 1));
            j.append(new JournalRecord.StepStarted(T0, "b", 1));
        }
        assertThatThrownBy(() -> Journal.read(file)).isInstanceOf(JournalException.class)
                .hasMessageContaining("line 1").hasMessageContaining("does not begin with a run-started record");
    }

    @Test
    void aMissingJournalIsAClearError() {
        assertThatThrownBy(() -> Journal.read(tmp.resolve("nope.jsonl")))
                .isInstanceOf(JournalException.class).hasMessageContaining("does not exist");
    }

    @Test
    void createRefusesAnExistingFile() {
        Path file = journalWith(0);
        assertThatThrownBy(() -> Journal.create(file, null)).isInstanceOf(JournalException.class).hasMessageContaining("exists already");
    }

    @Test
    void continuingCutsATornTailSoItNeverEndsUpInTheMiddle() throws IOException {
        Path file = journalWith(2);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 17));
        try (Journal j = Journal.continueAt(file, null)) {
            assertThat(j.lines()).isEqualTo(4);
            j.append(new JournalRecord.RunFinished(T0.plusSeconds(60), "interrupted", 130, null));
        }
        JournalContents c = Journal.read(file);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.records()).hasSize(5).last().isInstanceOf(JournalRecord.RunFinished.class);
    }

    @Test
    void continuingAfterAWholeRecordWithoutItsNewlineFinishesTheLine() throws IOException {
        Path file = journalWith(1);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length - 1));
        try (Journal j = Journal.continueAt(file, null)) {
            j.append(new JournalRecord.RunFinished(T0, "succeeded", 0, null));
        }
        JournalContents c = Journal.read(file);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.records()).hasSize(4);
    }

    @Test
    void anIntactRecordOfAnUnknownTypeIsSkippedWithAWarning() throws IOException {
        Path file = journalWith(0);
        Files.write(file, Journal.encode(2, new JournalRecord.StepStarted(T0, "x", 1), null), java.nio.file.StandardOpenOption.APPEND);
        String future = new String(Journal.encode(3, new JournalRecord.StepStarted(T0, "y", 1), null), StandardCharsets.UTF_8)
                .replace("step-started", "step-pondered");
        // Re-checksum the changed line as a newer writer would have.
        String body = future.substring(0, future.lastIndexOf(",\"crc\":"));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(file, body + ",\"crc\":\"" + String.format("%08x", crc.getValue()) + "\"}\n",
                java.nio.file.StandardOpenOption.APPEND);
        Files.write(file, Journal.encode(4, new JournalRecord.StepStarted(T0, "z", 1), null), java.nio.file.StandardOpenOption.APPEND);
        JournalContents c = Journal.read(file);
        assertThat(c.records()).hasSize(3);
        assertThat(c.lines()).isEqualTo(4);
        assertThat(c.warnings()).singleElement().asString().contains("unknown type 'step-pondered'");
    }

    @Test
    void secretsAreMaskedInEveryStringWrittenKeysIncluded() throws IOException {
        Redactor r = new Redactor();
        r.add(Fixtures.SECRET);
        Path file = tmp.resolve("journal.jsonl");
        String b64 = Base64.getEncoder().encodeToString(Fixtures.SECRET.getBytes(StandardCharsets.UTF_8));
        try (Journal j = Journal.create(file, r)) {
            j.append(new JournalRecord.RunStarted(T0, "20261123-031500-demo-0a0b", "demo", "title " + Fixtures.SECRET, "f", "a", "b",
                    List.of(), Map.of("p", Fixtures.SECRET), false, null, "alice", "h", 1));
            j.append(new JournalRecord.StepFinished(T0, "a", StepState.FAILED, 1, T0, T0,
                    Map.of("k-" + Fixtures.SECRET, List.of(Map.of("deep", "x" + b64 + "y"))), false,
                    "error with " + Fixtures.SECRET, new Answer(Fixtures.SECRET, "alice", T0, "terminal"),
                    Map.of("script", "echo " + Fixtures.SECRET)));
        }
        String text = Files.readString(file);
        assertThat(text).doesNotContain(Fixtures.SECRET).doesNotContain(b64).contains("***");
        assertThat(Journal.read(file).warnings()).isEmpty();
    }

    @Test
    void aThreadWithItsInterruptFlagSetCanStillAppend() {
        Path file = tmp.resolve("journal.jsonl");
        try (Journal j = Journal.create(file, null)) {
            j.append(new JournalRecord.RunStarted(T0, "20261123-031500-demo-0a0b", "demo", null, "f", "a", "b", List.of(),
                    Map.of(), false, null, "u", "h", 1));
            Thread.currentThread().interrupt();
            j.append(new JournalRecord.StepFinished(T0, "a", StepState.INTERRUPTED, 1, T0, T0, Map.of(), false, null, null, null));
            assertThat(Thread.interrupted()).as("the flag is given back").isTrue();
            j.append(new JournalRecord.RunFinished(T0, "interrupted", 130, null));
        }
        assertThat(Journal.read(file).records()).hasSize(3);
    }

    @Test
    void interruptsArrivingDuringWritesLoseNoRecordAndTearNone() throws Exception {
        Path file = tmp.resolve("journal.jsonl");
        int n = 600;
        try (Journal j = Journal.create(file, null)) {
            j.append(new JournalRecord.RunStarted(T0, "20261123-031500-demo-0a0b", "demo", null, "f", "a", "b", List.of(),
                    Map.of(), false, null, "u", "h", 1));
            Thread writer = new Thread(() -> {
                for (int i = 0; i < n; i++) {
                    j.append(new JournalRecord.StepFinished(T0, "s" + i, StepState.SUCCEEDED, 1, T0, T0,
                            Map.of("pad", "x".repeat(i % 7 == 0 ? 200_000 : 10)), false, null, null, null));
                }
            });
            writer.start();
            java.util.Random rnd = new java.util.Random(42);
            while (writer.isAlive()) {
                writer.interrupt();
                Thread.sleep(0, rnd.nextInt(500_000));
            }
            writer.join();
        }
        JournalContents c = Journal.read(file);
        assertThat(c.warnings()).isEmpty();
        assertThat(c.records()).hasSize(n + 1);
        for (int i = 0; i < n; i++) {
            assertThat(((JournalRecord.StepFinished) c.records().get(i + 1)).id()).isEqualTo("s" + i);
        }
    }

    static int lastLineStart(byte[] b) {
        int end = b.length - 1;
        int i = end - 1;
        while (i >= 0 && b[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
