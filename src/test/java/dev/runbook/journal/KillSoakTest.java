package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends to one journal in a loop and is killed with {@code kill -9} at random
 * points, many times over; each next child continues the same journal. After every kill the
 * journal reads, holds every record whose append had returned (the child printed "ok SEQ"),
 * with the right content, and at most its last record is torn. Large records make the kill
 * land inside a write now and then, which is what tears a record.
 *
 * <p>{@code -Drunbook.soak.kills=200} soaks longer; the default keeps the suite quick.
 */
class KillSoakTest {
    @TempDir
    Path tmp;

    @Test
    void theJournalSurvivesKill9AtRandomPoints() throws Exception {
        int kills = Integer.getInteger("runbook.soak.kills", 12);
        long seed = Long.getLong("runbook.soak.seed", System.nanoTime());
        Random rnd = new Random(seed);
        Path file = tmp.resolve("journal.jsonl");
        int torn = 0;
        long acknowledged = 0;
        for (int i = 0; i < kills; i++) {
            long lastOk = acknowledged;
            try (Child child = Child.start(ChildMains.Appender.class, file.toString())) {
                child.await("ready", 60);
                // Each child appends at least one record before it is killed, however slow the
                // machine: the kill then lands at a random point of a run that is writing.
                child.await("ok ", 60);
                Thread.sleep(rnd.nextInt(150));
                child.process.destroyForcibly();
                child.waitFor(30);
                for (String line : child.all) {
                    if (line.startsWith("ok ")) {
                        lastOk = Math.max(lastOk, Long.parseLong(line.substring(3)));
                    }
                }
            }
            JournalContents c = Journal.read(file);
            String context = "kill " + (i + 1) + " of " + kills + " (seed " + seed + ")";
            assertThat(c.warnings()).as(context).hasSizeLessThanOrEqualTo(1);
            if (!c.warnings().isEmpty()) {
                torn++;
                assertThat(c.warnings().get(0)).as(context).contains("line " + (c.lines() + 1)).contains("last record");
            }
            assertThat((long) c.lines()).as(context + ": every acknowledged record is there").isGreaterThanOrEqualTo(lastOk);
            assertThat(c.records().get(0)).isInstanceOf(JournalRecord.RunStarted.class);
            for (int k = 1; k < c.records().size(); k++) {
                long seq = k + 1;
                JournalRecord.StepFinished f = (JournalRecord.StepFinished) c.records().get(k);
                assertThat(f.id()).as(context).isEqualTo("s" + seq);
                assertThat(f.outputs().get("seq")).as(context).isEqualTo(seq);
                assertThat(f.outputs().get("blob")).as(context).isEqualTo(ChildMains.blob(seq));
            }
            acknowledged = lastOk;
        }
        System.out.printf("kill-soak: %d kills, %d torn last records, %d records acknowledged (seed %d)%n",
                kills, torn, acknowledged, seed);
        assertThat(acknowledged).as("the children got to write").isGreaterThan(kills);
    }
}
