package dev.runbook.console;

/** ANSI colour, or plain text when colour is off. */
final class Ansi {
    private final boolean on;

    Ansi(boolean on) {
        this.on = on;
    }

    private String wrap(String code, String s) {
        return on ? "\033[" + code + "m" + s + "\033[0m" : s;
    }

    String bold(String s) {
        return wrap("1", s);
    }

    String dim(String s) {
        return wrap("2", s);
    }

    String red(String s) {
        return wrap("31", s);
    }

    String green(String s) {
        return wrap("32", s);
    }

    String yellow(String s) {
        return wrap("33", s);
    }

    String cyan(String s) {
        return wrap("36", s);
    }
}
