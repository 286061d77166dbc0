package dev.runbook.actions;

import dev.runbook.engine.ActionContext;
import dev.runbook.engine.ActionException;
import dev.runbook.lang.Durations;
import dev.runbook.proc.ProcessOutcome;
import dev.runbook.proc.ProcessRunner;
import dev.runbook.proc.ProcessSpec;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a local process for an action and turns how it ended into a result or a failure. */
public final class Processes {
    private Processes() {
    }

    /**
     * Runs {@code spec} and returns {@code {exitCode, stdout, stderr, lines}}. A non-zero exit
     * not in {@code allowExitCodes} fails, with the last lines of output in the message.
     */
    public static Map<String, Object> run(ActionContext ctx, ProcessSpec spec, List<Integer> allowExitCodes, String name)
            throws ActionException, InterruptedException {
        ProcessOutcome o;
        try {
            o = ctx.run().processes().run(spec, ctx.output());
        } catch (ProcessRunner.StartException e) {
            throw new ActionException(e.getMessage());
        } catch (IOException e) {
            throw new ActionException("running " + name + " failed: " + e.getMessage());
        }
        if (o.warning() != null) {
            ctx.output().line("(runbook: " + o.warning() + ")", true);
        }
        if (o.timedOut()) {
            throw new ActionException(ActionException.Kind.TIMED_OUT, name + " timed out after "
                    + Durations.format(ctx.timeout() != null ? ctx.timeout() : spec.timeout())
                    + "; it was stopped, with every process it started");
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("exitCode", (long) o.exitCode());
        result.put("stdout", o.stdout());
        result.put("stderr", o.stderr());
        result.put("lines", Outputs.lines(o.stdout()));
        if (o.exitCode() != 0 && (allowExitCodes == null || !allowExitCodes.contains(o.exitCode()))) {
            // A sensitive step's output may hold the very values it exists to capture.
            throw new ActionException(name + " exited with code " + o.exitCode()
                    + (ctx.step().sensitive() ? " (output not shown: the step is sensitive)" : tail(o)));
        }
        return result;
    }

    /** The last few lines of what the process said, for the failure message. */
    private static String tail(ProcessOutcome o) {
        List<String> lines = Outputs.lines(o.stderr().isBlank() ? o.stdout() : o.stderr());
        List<String> keep = lines.stream().filter(l -> !l.isBlank()).toList();
        if (keep.isEmpty()) {
            return "";
        }
        int from = Math.max(0, keep.size() - 5);
        StringBuilder sb = new StringBuilder(":");
        for (String l : keep.subList(from, keep.size())) {
            sb.append("\n  ").append(l.length() > 300 ? l.substring(0, 297) + "..." : l);
        }
        return sb.toString();
    }
}
