package dev.runbook.proc;

/** Receives each line a process prints, as it prints it. Called from the pump threads. */
@FunctionalInterface
public interface OutputListener {
    OutputListener NONE = (line, stderr) -> { };

    void line(String line, boolean stderr);
}
