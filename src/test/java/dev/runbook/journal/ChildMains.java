package dev.runbook.journal;

import dev.runbook.proc.Who;
import dev.runbook.engine.StepState;
import dev.runbook.secrets.Redactor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Programs that tests start as child JVMs, to be killed or raced against. Each
 * prints what it has done on stdout, one line per fact, flushed at once.
 */
final class ChildMains {
    private ChildMains() {
    }

    /** The size of the blob in record {@code seq}: mostly small, now and then large enough to tear. */
    static int blobSize(long seq) {
        long h = seq * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        int r = Math.floorMod(h, 100);
        return r < 80 ? r * 3 : 64 * 1024 + Math.floorMod(h >>> 8, 448 * 1024);
    }

    static String blob(long seq) {
        char c = (char) ('a' + seq % 26);
        return String.valueOf(c).repeat(blobSize(seq));
    }

    /**
     * {@code Appender JOURNAL}: creates or continues the journal, then appends step records
     * forever, printing {@code ok SEQ} once each append has returned.
     */
    static final class Appender {
        public static void main(String[] args) {
            Path file = Path.of(args[0]);
            Journal j;
            if (Files.exists(file)) {
                j = Journal.continueAt(file, new Redactor());
            } else {
                j = Journal.create(file, new Redactor());
                j.append(new JournalRecord.RunStarted(Instant.now(), "20261123-031500-soak-0a0b", "soak", null, "soak.yaml",
                        "a", "b", List.of(), Map.of(), false, null, "u", "h", Who.pid()));
                System.out.println("ok " + j.lines());
            }
            System.out.println("ready");
            System.out.flush();
            while (true) {
                long seq = j.lines() + 1;
                j.append(new JournalRecord.StepFinished(Instant.now(), "s" + seq, StepState.SUCCEEDED, 1, null, null,
                        Map.of("seq", seq, "blob", blob(seq)), false, null, null, null));
                System.out.println("ok " + seq);
                System.out.flush();
            }
        }
    }

    /**
     * {@code Locker RUN-DIR}: takes the run's lock, prints {@code locked PID} (and the take-over
     * note, if any), then holds it until stdin closes or says "release".
     */
    static final class Locker {
        public static void main(String[] args) throws Exception {
            try (RunLock lock = RunLock.acquire(Path.of(args[0]), "resume")) {
                if (lock.takeOverNote() != null) {
                    System.out.println(lock.takeOverNote());
                }
                System.out.println("locked " + Who.pid());
                System.out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                String line;
                while ((line = in.readLine()) != null && !line.equals("release")) {
                    // hold
                }
            } catch (RunLockedException e) {
                System.out.println("refused " + e.getMessage().replace('\n', ' '));
                System.exit(4);
            }
            System.out.println("released");
        }
    }
}
