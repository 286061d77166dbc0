package dev.runbook.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the real command line in-process and keeps what it printed. */
public final class Cli {
    private Cli() {
    }

    /** The exit code and both output streams of one invocation. */
    public record Result(int code, String out, String err) {
        /** Everything the user saw. */
        public String all() {
            return out + err;
        }
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString().replace("\r\n", "\n"), err.toString().replace("\r\n", "\n"));
    }
}
