package dev.runbook.console;

import dev.runbook.engine.Requirement;
import dev.runbook.engine.RunInfo;
import dev.runbook.engine.RunListener;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.StepResult;
import dev.runbook.engine.StepState;
import dev.runbook.expr.Renderer;
import dev.runbook.lang.Durations;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.model.Runbook;
import dev.runbook.lang.model.Step;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console an operator follows at 3 a.m.: a line when each step starts and ends, with its
 * state and duration; live command output indented under its step; waits with attempt,
 * elapsed time, timeout and the last value; and a summary table at the end. Colour only when
 * asked for (a terminal, no {@code --no-color}, no {@code NO_COLOR}). Every line is flushed
 * as it is written, so a pipe or a log shows progress as it happens.
 */
public final class ConsoleReporter implements RunListener {
    private static final String INDENT = "          ";
    /** Without a terminal, a wait prints at most one line per this period (after the first). */
    private static final Duration QUIET_WAIT = Duration.ofSeconds(30);
    private static final int MAX_SHOWN_LINES = 200;

    private final Runbook rb;
    private final PrintWriter out;
    private final Ansi ansi;
    private final boolean live;
    private final Map<String, String> numbers = new HashMap<>();
    private final Map<String, Integer> depth = new HashMap<>();
    private final Map<String, StepResult> results = new LinkedHashMap<>();
    private final Map<String, Instant> lastWaitLine = new HashMap<>();
    private boolean dryRun;
    private String command = "run";
    private boolean lineOpen;
    private int width = 24;

    /**
     * @param live a terminal: waits update one line in place instead of adding lines
     */
    public ConsoleReporter(Runbook rb, PrintWriter out, boolean color, boolean live) {
        this.rb = rb;
        this.out = out;
        this.ansi = new Ansi(color);
        this.live = live;
        List<Step> main = rb.mainSteps();
        for (int i = 0; i < main.size(); i++) {
            numbers.put(main.get(i).id(), pad(i + 1, main.size()) + "/" + main.size());
        }
        List<Step> fail = rb.failureSteps();
        for (int i = 0; i < fail.size(); i++) {
            numbers.put(fail.get(i).id(), "onFailure " + (i + 1) + "/" + fail.size());
        }
        depths(rb.steps(), 0);
        depths(rb.onFailure(), 0);
        for (Step s : rb.allSteps()) {
            width = Math.max(width, s.id().length() + 2 * depth.get(s.id()));
        }
        width = Math.min(width, 48);
    }

    /** For {@code runbook resume}: the header names the command that runs. */
    public ConsoleReporter resuming() {
        command = "resume";
        return this;
    }

    private void depths(List<Step> steps, int d) {
        for (Step s : steps) {
            depth.put(s.id(), d);
            if (s.action() instanceof Action.Group g) {
                depths(g.steps(), d + 1);
            }
        }
    }

    private static String pad(int n, int total) {
        String s = String.valueOf(n);
        return " ".repeat(Math.max(0, String.valueOf(total).length() - s.length())) + s;
    }

    // ---- events -------------------------------------------------------------------------------

    @Override
    public void runStarted(RunInfo info) {
        dryRun = info.dryRun();
        line(ansi.bold("runbook " + command + " " + rb.name()) + "  (" + info.runbookFile() + ", run " + info.runId() + ")");
        if (dryRun) {
            line(ansi.cyan("DRY RUN: read steps run for real; mutating steps are only shown; prompts are not asked."));
        }
    }

    @Override
    public void preflight(List<Requirement> checks) {
        if (checks.isEmpty()) {
            return;
        }
        line("Preflight: what a real run needs");
        for (Requirement r : checks) {
            String tag = r.ok() ? ansi.green("  ok      ") : ansi.red("  MISSING ");
            String steps = r.ok() ? "" : "  (steps: " + String.join(", ", r.steps()) + ")";
            line(tag + " " + r.what() + ": " + TerminalText.escape(r.detail()) + steps);
        }
        line("");
    }

    @Override
    public void stepStarted(Step step, int attempt) {
        String word = step.action() instanceof Action.Group ? "GROUP" : attempt > 1 ? "RETRY " + attempt : "START";
        String title = step.title() != null ? "  " + ansi.dim(TerminalText.escape(step.title())) : "";
        line(head(step) + ansi.bold(fixed(word)) + " " + name(step) + title);
    }

    @Override
    public void stepOutput(Step step, String line, boolean stderr) {
        // A step's output is untrusted: escape sequences in it are shown, never obeyed.
        line(INDENT + (stderr ? ansi.yellow("! ") : ansi.dim("| ")) + TerminalText.escape(line));
    }

    @Override
    public void stepRetrying(Step step, int attempt, String error, Duration wait) {
        line(INDENT + ansi.yellow("attempt " + attempt + " failed; trying again in " + Durations.format(wait) + ":"));
        for (String l : error.split("\n")) {
            line(INDENT + "  " + TerminalText.escape(l));
        }
    }

    @Override
    public void stepWaiting(Step step, int attempt, Duration elapsed, Duration timeout, String last) {
        String text = INDENT + ansi.cyan("waiting") + " for until: attempt " + attempt + ", " + clock(elapsed)
                + " elapsed of " + (timeout == null ? "no timeout" : Durations.format(timeout)) + "; last: " + oneLine(last);
        if (live) {
            out.print("\r\033[K" + text);
            out.flush();
            lineOpen = true;
            return;
        }
        Instant now = Instant.now();
        Instant prev = lastWaitLine.get(step.id());
        if (prev == null || Duration.between(prev, now).compareTo(QUIET_WAIT) >= 0) {
            lastWaitLine.put(step.id(), now);
            line(text);
        }
    }

    @Override
    public void stepFinished(Step step, StepResult r) {
        results.put(step.id(), r);
        StringBuilder sb = new StringBuilder(head(step)).append(state(r.state())).append(' ').append(name(step));
        if (r.startedAt() != null && r.state() != StepState.SKIPPED && r.state() != StepState.SATISFIED
                && r.state() != StepState.BLOCKED) {
            sb.append("  ").append(duration(r.durationMillis()));
        }
        if (r.attempts() > 1) {
            sb.append("  (").append(r.attempts()).append(" attempts)");
        }
        if (r.note() != null) {
            sb.append("  ").append(ansi.dim("(" + TerminalText.escape(r.note()) + ")"));
        }
        line(sb.toString());
        if (r.error() != null && r.state() != StepState.SUCCEEDED) {
            String[] lines = r.error().split("\n");
            line(INDENT + ansi.red("error: ") + TerminalText.escape(lines[0]));
            for (int i = 1; i < lines.length; i++) {
                line(INDENT + TerminalText.escape(lines[i]));
            }
        }
        if (r.answer() != null) {
            line(INDENT + "answered " + TerminalText.escape(r.answer().value()) + " by " + r.answer().by() + " (" + r.answer().source() + ")");
        }
        if (r.state() == StepState.WOULD_RUN && r.wouldRun() != null && !(step.action() instanceof Action.Group)) {
            wouldRun(r.wouldRun());
        }
        if (!r.outputs().isEmpty() && r.state() == StepState.SUCCEEDED) {
            for (Map.Entry<String, Object> e : r.outputs().entrySet()) {
                line(INDENT + ansi.dim(e.getKey() + " = " + oneLine(shorten(Renderer.format(e.getValue()).strip(), 160))));
            }
        }
    }

    @Override
    public void stepCarried(Step step, StepResult r) {
        results.put(step.id(), r);
        line(head(step) + state(r.state()) + " " + name(step) + "  " + ansi.dim("(from before: not run again)"));
    }

    @Override
    public void runFinished(RunInfo info, RunOutcome outcome) {
        line("");
        line(ansi.bold("Summary") + " of run " + info.runId() + (info.dryRun() ? " (dry run)" : ""));
        line("  " + fixedWidth("STEP", width) + "  " + fixed("STATE") + "  TIME");
        Map<StepState, Integer> counts = new EnumMap<>(StepState.class);
        java.util.Set<String> failureSteps = new java.util.HashSet<>();
        rb.failureSteps().forEach(f -> failureSteps.add(f.id()));
        boolean failureHeader = false;
        for (Step s : rb.allSteps()) {
            StepResult r = results.get(s.id());
            boolean failureStep = failureSteps.contains(s.id());
            if (failureStep && r == null) {
                continue;
            }
            if (failureStep && !failureHeader) {
                line("  " + ansi.dim("onFailure:"));
                failureHeader = true;
            }
            StepState st = r == null ? StepState.PENDING : r.state();
            counts.merge(st, 1, Integer::sum);
            String time = r == null || r.startedAt() == null || st == StepState.SKIPPED || st == StepState.SATISFIED
                    || st == StepState.BLOCKED ? "" : duration(r.durationMillis());
            String n = "  ".repeat(depth.get(s.id())) + s.id();
            line("  " + fixedWidth(n, width) + "  " + state(st) + "  " + time
                    + (r == null ? ansi.dim("  (not reached)") : ""));
        }
        StringBuilder tally = new StringBuilder();
        for (Map.Entry<StepState, Integer> e : counts.entrySet()) {
            if (tally.length() > 0) {
                tally.append(", ");
            }
            tally.append(e.getValue()).append(' ').append(e.getKey() == StepState.PENDING ? "not reached" : e.getKey().word());
        }
        long total = Duration.between(info.startedAt(), Instant.now()).toMillis();
        line("  " + tally + "; " + duration(total) + " in all");
        String word = outcome.exitCode() == 0 ? ansi.green(outcome.state().toUpperCase(java.util.Locale.ROOT))
                : ansi.red(outcome.state().toUpperCase(java.util.Locale.ROOT));
        String[] msg = outcome.message() == null ? new String[] {""} : outcome.message().split("\n");
        line("Result: " + word + " (exit " + outcome.exitCode() + ")" + (msg[0].isEmpty() ? "" : ": " + TerminalText.escape(msg[0])));
        for (int i = 1; i < msg.length; i++) {
            line("  " + TerminalText.escape(msg[i]));
        }
    }

    // ---- formatting ---------------------------------------------------------------------------

    private void wouldRun(Object w) {
        if (w instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                line(INDENT + ansi.cyan(verb(l.get(i)) + " [" + i + "]:"));
                describe(l.get(i), INDENT + "  ");
            }
            return;
        }
        line(INDENT + ansi.cyan(verb(w) + ":"));
        describe(w, INDENT + "  ");
    }

    private static String verb(Object w) {
        return w instanceof Map<?, ?> m && m.containsKey("prompt") ? "would ask" : "would run";
    }

    private void describe(Object w, String pad) {
        if (!(w instanceof Map<?, ?> m)) {
            line(pad + TerminalText.escape(Renderer.format(w)));
            return;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = String.valueOf(e.getKey());
            Object v = e.getValue();
            if (k.equals("argv") && v instanceof List<?> argv) {
                line(pad + TerminalText.escape(ShellWords.join(argv)));
            } else if (v instanceof String s && s.contains("\n")) {
                line(pad + k + ":");
                String[] lines = s.split("\n");
                for (int i = 0; i < lines.length && i < MAX_SHOWN_LINES; i++) {
                    line(pad + "  " + TerminalText.escape(lines[i]));
                }
                if (lines.length > MAX_SHOWN_LINES) {
                    line(pad + "  ... (" + (lines.length - MAX_SHOWN_LINES) + " more lines)");
                }
            } else {
                line(pad + k + ": " + TerminalText.escape(Renderer.format(v)));
            }
        }
    }

    private String head(Step s) {
        String n = numbers.getOrDefault(s.id(), "?");
        return "[" + n + "] ";
    }

    private String name(Step s) {
        return "  ".repeat(depth.getOrDefault(s.id(), 0)) + s.id();
    }

    private String state(StepState st) {
        String w = fixed(st.word().toUpperCase(java.util.Locale.ROOT));
        return switch (st) {
            case SUCCEEDED -> ansi.green(w);
            case FAILED, BLOCKED, INTERRUPTED -> ansi.red(w);
            case WOULD_RUN -> ansi.cyan(w);
            case SKIPPED, SATISFIED, PENDING -> ansi.dim(w);
            case RUNNING -> ansi.bold(w);
        };
    }

    private static String fixed(String s) {
        return fixedWidth(s, 11);
    }

    private static String fixedWidth(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** Untrusted text (a value, a last output line) on one line, its control characters escaped. */
    private static String oneLine(String s) {
        return s == null ? "" : TerminalText.escape(shorten(s.replace('\n', ' '), 200));
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** 0.21s, 4.3s, 1m05s, 2h03m. */
    static String duration(long ms) {
        if (ms < 10_000) {
            return String.format(java.util.Locale.ROOT, "%.2fs", ms / 1000.0);
        }
        if (ms < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(java.util.Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(java.util.Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /** Elapsed time as a clock: 0:45, 12:03, 1:02:03. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
                : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    private void line(String s) {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
        out.println(s);
        out.flush();
    }
}
