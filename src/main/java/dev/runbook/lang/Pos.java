package dev.runbook.lang;

/** A 1-based line and column in a runbook file. */
public record Pos(int line, int col) implements Comparable<Pos> {
    public static final Pos START = new Pos(1, 1);

    @Override
    public int compareTo(Pos o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(col, o.col);
    }

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
