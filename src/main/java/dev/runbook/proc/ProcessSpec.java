package dev.runbook.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One process to start: the argv (never given to a shell), the variables added to this
 * process's environment, the working directory (null: the current one), what to write on its
 * standard input (null: it is closed at once, so nothing ever waits for input), and how long
 * it may run (null: no limit).
 */
public record ProcessSpec(List<String> argv, Map<String, String> env, Path cwd, String stdin, Duration timeout) {
    public ProcessSpec {
        argv = List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public static ProcessSpec of(List<String> argv) {
        return new ProcessSpec(argv, Map.of(), null, null, null);
    }
}
