package dev.runbook.engine;

import java.io.Console;

/**
 * The operator's terminal, if there is one: where prompts are asked and whether the console
 * may use colour. A run without a terminal (a pipe, CI, cron) never waits for an answer.
 */
public interface Terminal {
    /** True when questions can be asked and answered. */
    boolean interactive();

    /** True when standard output is a terminal that understands colour. */
    boolean color();

    /** Shows {@code prompt} and reads one line; null at end of input. */
    String readLine(String prompt);

    /** Shows {@code prompt} and reads a line without echoing it; null at end of input. */
    char[] readSecret(String prompt);

    /** No terminal: nothing is asked, nothing is coloured. */
    static Terminal none() {
        return new Terminal() {
            public boolean interactive() {
                return false;
            }

            public boolean color() {
                return false;
            }

            public String readLine(String prompt) {
                return null;
            }

            public char[] readSecret(String prompt) {
                return null;
            }
        };
    }

    /**
     * The process's own terminal. {@link System#console()} exists only when both standard
     * input and standard output are terminals, which is exactly when asking makes sense.
     */
    static Terminal system() {
        Console c = System.console();
        if (c == null) {
            return none();
        }
        String term = System.getenv("TERM");
        boolean color = term == null || !term.equals("dumb");
        return new Terminal() {
            public boolean interactive() {
                return true;
            }

            public boolean color() {
                return color;
            }

            public String readLine(String prompt) {
                return c.readLine("%s", prompt);
            }

            public char[] readSecret(String prompt) {
                return c.readPassword("%s", prompt);
            }
        };
    }
}
