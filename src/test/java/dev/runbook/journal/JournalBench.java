package dev.runbook.journal;

import dev.runbook.engine.StepState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Figures for the journal, printed by {@code bench/journal.sh}: how long a durable append
 * takes (the cost the engine pays twice per step), and how long reading a large run takes.
 * Not a test: timings depend on the disk, so they are printed, never asserted.
 */
public final class JournalBench {
    private JournalBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "target/bench"));
        int appends = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 20000;

        Path file = dir.resolve("append-" + System.nanoTime() + ".jsonl");
        long[] micros = new long[appends];
        try (Journal j = Journal.create(file, null)) {
            j.append(runStarted());
            for (int i = 0; i < appends; i++) {
                long t = System.nanoTime();
                j.append(finished("step-" + i, Map.of("names", List.of("cassandra-0", "cassandra-1"), "count", 2L)));
                micros[i] = (System.nanoTime() - t) / 1000;
            }
        }
        Arrays.sort(micros);
        long total = Arrays.stream(micros).sum();
        System.out.printf("append (write + force): %d records, %.0f records/s, p50 %d us, p99 %d us, max %d us%n",
                appends, appends / (total / 1e6), micros[appends / 2], micros[(int) (appends * 0.99)], micros[appends - 1]);
        Files.delete(file);

        // A large run, written without forcing each record (only the reading is measured).
        Path big = dir.resolve("read-" + System.nanoTime() + ".jsonl");
        StringBuilder sb = new StringBuilder();
        long seq = 1;
        List<StepDef> defs = new java.util.ArrayList<>();
        for (int i = 0; i < steps; i++) {
            defs.add(new StepDef("step-" + i, "Step number " + i, null, DefinitionHash.ofText("step-" + i), false));
        }
        JournalRecord.RunStarted started = new JournalRecord.RunStarted(Instant.now(), "20261123-031500-bench-0a0b", "bench",
                null, "bench.yaml", "a", "b", defs, Map.of(), false, null, "u", "h", 1);
        sb.append(new String(Journal.encode(seq++, started, null), java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < steps; i++) {
            sb.append(new String(Journal.encode(seq++, new JournalRecord.StepStarted(Instant.now(), "step-" + i, 1), null),
                    java.nio.charset.StandardCharsets.UTF_8));
            sb.append(new String(Journal.encode(seq++, finished("step-" + i, Map.of("i", (long) i)), null),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        Files.writeString(big, sb);
        for (int round = 0; round < 3; round++) {
            long t = System.nanoTime();
            JournalContents c = Journal.read(big);
            long read = (System.nanoTime() - t) / 1_000_000;
            RunState s = RunState.of(c, false);
            String text = StatusPrinter.statusText(s, java.util.Optional.empty());
            long ms = (System.nanoTime() - t) / 1_000_000;
            System.out.printf("read %d ms, + state + status text %d ms: a %d-step run (%d records, %.1f MB, %d lines of status)%s%n",
                    read, ms, steps, seq - 1, Files.size(big) / 1e6, text.split("\n").length, round == 0 ? " (cold JVM)" : "");
            if (s.steps().size() != steps) {
                throw new IllegalStateException("read back " + s.steps().size() + " steps");
            }
        }
        Files.delete(big);
    }

    private static JournalRecord.RunStarted runStarted() {
        return new JournalRecord.RunStarted(Instant.now(), "20261123-031500-bench-0a0b", "bench", null, "bench.yaml", "a", "b",
                List.of(), Map.of(), false, null, "u", "h", 1);
    }

    private static JournalRecord.StepFinished finished(String id, Map<String, Object> outputs) {
        Instant now = Instant.now();
        return new JournalRecord.StepFinished(now, id, StepState.SUCCEEDED, 1, now, now, outputs, false, null, null, null);
    }
}
