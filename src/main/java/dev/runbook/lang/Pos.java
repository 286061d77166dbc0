package dev.runbook.lang;

/** A 1-based line and column in a runbook file. */
public record Pos(int line, int col) implements Comparable<Pos> {
    public static final Pos START = new Pos(1, 1);

    @Override
    public int compareTo(Pos o) {
        return line != o.line ? Integer.compare(line, o.line) : Integer.compare(col, o.col);
    }

    // equals and hashCode as a record would derive them, written out: the derived ones are bound
    // through invokedynamic on first use, which costs a CLI start about 10 ms per record type.
    @Override
    public boolean equals(Object o) {
        return o instanceof Pos p && p.line == line && p.col == col;
    }

    @Override
    public int hashCode() {
        return 31 * line + col;
    }

    @Override
    public String toString() {
        return line + ":" + col;
    }
}
