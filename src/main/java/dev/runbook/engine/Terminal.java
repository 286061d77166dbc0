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
     * input and standard output are terminals; an operator who keeps a log with
     * {@code runbook run ... | tee run.log} still sits at a terminal, so when only standard
     * input is one, questions are asked on {@code /dev/tty} (as ssh and sudo do) while the
     * output, without colour, goes down the pipe.
     */
    static Terminal system() {
        if (!Tty.isTerminal(0)) {
            // Nobody can answer: no question is asked, whatever is on standard output. Looked at
            // first because finding the JDK's console provider costs some 50 ms of a short run's
            // start, and because since JDK 22 System.console() may return a console for a pipe.
            return none();
        }
        Console c = System.console();
        String term = System.getenv("TERM");
        boolean dumb = term != null && term.equals("dumb");
        if (c != null) {
            return new Terminal() {
                public boolean interactive() {
                    return true;
                }

                public boolean color() {
                    return !dumb;
                }

                public String readLine(String prompt) {
                    return c.readLine("%s", prompt);
                }

                public char[] readSecret(String prompt) {
                    return c.readPassword("%s", prompt);
                }
            };
        }
        if (Tty.isTerminal(0)) {
            return new Tty(Tty.isTerminal(1) && !dumb);
        }
        return none();
    }
}
