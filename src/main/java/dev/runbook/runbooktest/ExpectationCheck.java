package dev.runbook.runbooktest;

import dev.runbook.journal.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a run with what its test expects. Each difference is one line, "what: expected X,
 * got Y", so that a failing test says what to look at without opening the run.
 */
public final class ExpectationCheck {
    private ExpectationCheck() {
    }

    /** Every difference between {@code expect} and the run; empty when the test passes. */
    public static List<String> differences(TestSpec.Expect expect, RunFacts facts) {
        List<String> out = new ArrayList<>();
        if (expect.exit() != null && expect.exit() != facts.exitCode()) {
            out.add("exit: expected " + expect.exit() + ", got " + facts.exitCode());
        }
        if (facts.run() == null) {
            if (expect.failedStep() != null || expect.message() != null || !expect.states().isEmpty()) {
                // One line, not one per step: without a journal there is nothing to compare them with.
                out.add("failedStep/message/states: not checked: " + facts.journalProblem());
            }
        } else {
            checkJournal(expect, facts, out);
        }
        if (!expect.cluster().isEmpty()) {
            ClusterCheck.check(expect.cluster(), facts.stateFile("cluster.json"), out);
        }
        for (TestSpec.FileExpect f : expect.files()) {
            checkFile(f, facts.workDir(), out);
        }
        if (expect.writes() != null) {
            long got = countWrites(facts.stateFile("writes.jsonl"));
            if (got != expect.writes()) {
                out.add("writes: expected " + expect.writes() + ", got " + got);
            }
        }
        // Several expectations on one missing file would each say so: once is enough.
        return new ArrayList<>(new LinkedHashSet<>(out));
    }

    private static void checkJournal(TestSpec.Expect expect, RunFacts facts, List<String> out) {
        Optional<RunState.StepRecord> failed = facts.failedStep();
        if (expect.failedStep() != null) {
            String got = failed.map(RunState.StepRecord::id).orElse(null);
            if (!expect.failedStep().equals(got)) {
                out.add("failedStep: expected " + expect.failedStep() + ", got " + (got == null ? "no failed step" : got));
            }
        }
        if (expect.message() != null) {
            String error = failed.map(RunState.StepRecord::error).orElse(null);
            String message = facts.run().message();
            if (!contains(error, expect.message()) && !contains(message, expect.message())) {
                String got = message != null ? message : error;
                out.add("message: expected it to contain \"" + expect.message() + "\", got "
                        + (got == null ? "no failure message" : "\"" + firstLine(got) + "\""));
            }
        }
        for (Map.Entry<String, String> e : expect.states().entrySet()) {
            String id = e.getKey();
            if (!facts.hasStep(id)) {
                out.add("states." + id + ": the runbook has no step '" + id + "'");
                continue;
            }
            String got = facts.stateOf(id);
            if (!got.equals(e.getValue())) {
                out.add("states." + id + ": expected " + e.getValue() + ", got " + got);
            }
        }
    }

    private static boolean contains(String text, String part) {
        return text != null && text.contains(part);
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl) + " ...";
    }

    /** Lines of the writes log; a run whose cluster received no write may have no log at all. */
    static long countWrites(Path writes) {
        if (writes == null || !Files.isRegularFile(writes)) {
            return 0;
        }
        try (var lines = Files.lines(writes, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new RunbookTestException("runbook: cannot read the sandbox's writes log " + writes + ": " + e.getMessage());
        }
    }

    private static void checkFile(TestSpec.FileExpect f, Path workDir, List<String> out) {
        String what = "files." + f.path();
        Path file = workDir.resolve(f.path()).normalize();
        if (!file.startsWith(workDir)) {
            out.add(what + ": the path leaves the working directory");
            return;
        }
        boolean exists = Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        if (f.absent()) {
            if (exists) {
                out.add(what + ": expected absent, got " + (Files.isDirectory(file) ? "a folder" : "a file"));
            }
            return;
        }
        if (!exists) {
            out.add(what + ": expected the file, got none");
            return;
        }
        if (f.mode() != null) {
            String got = mode(file);
            if (!got.equals(normalMode(f.mode()))) {
                out.add(what + ": expected mode " + normalMode(f.mode()) + ", got " + got);
            }
        }
        if (f.contains().isEmpty() && f.lacks().isEmpty()) {
            return;
        }
        if (!Files.isRegularFile(file)) {
            out.add(what + ": expected a file to read, got a folder");
            return;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.add(what + ": cannot be read: " + e.getMessage());
            return;
        }
        for (String c : f.contains()) {
            if (!text.contains(c)) {
                out.add(what + ": expected it to contain \"" + c + "\", got a file without it");
            }
        }
        for (String l : f.lacks()) {
            if (text.contains(l)) {
                // The file may hold secrets: say which expectation failed, not what the file says.
                out.add(what + ": expected it to lack \"" + l + "\", got a file with it");
            }
        }
    }

    static String normalMode(String mode) {
        return mode.length() == 3 ? "0" + mode : mode;
    }

    static String mode(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            int bits = 0;
            for (PosixFilePermission p : perms) {
                bits |= 1 << (8 - p.ordinal());
            }
            return String.format("0%03o", bits);
        } catch (IOException | UnsupportedOperationException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
