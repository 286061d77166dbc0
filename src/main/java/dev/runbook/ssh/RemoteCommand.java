package dev.runbook.ssh;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to run on a target: an argv (each element one word, never re-split) or a bash script,
 * with its environment, working directory, standard input and time limit. Every value reaches
 * the host byte for byte: all of it travels as single-quoted shell words.
 *
 * @param argv    the command, or null for a script
 * @param script  bash source run by {@code bash -eu -o pipefail -c}, or null for an argv
 * @param env     variables set for the command (through the command line: servers drop SSH env requests)
 * @param cwd     the working directory on the host, or null for the login directory
 * @param stdin   bytes written to the command's standard input, then closed; null: closed at once
 * @param timeout null: no limit
 */
public record RemoteCommand(List<String> argv, String script, Map<String, String> env, String cwd, byte[] stdin,
                            Duration timeout) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public RemoteCommand {
        if ((argv == null) == (script == null)) {
            throw new IllegalArgumentException("a remote command is an argv or a script");
        }
        if (argv != null && argv.isEmpty()) {
            throw new SshException("a remote command needs at least one word");
        }
        argv = argv == null ? null : List.copyOf(argv);
        env = env == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
        for (String k : env.keySet()) {
            if (!NAME.matcher(k).matches()) {
                throw new SshException("environment variable name '" + k + "' is not a shell name ([A-Za-z_][A-Za-z0-9_]*)");
            }
        }
        for (String s : argv == null ? List.of(script) : argv) {
            if (s.indexOf('\0') >= 0) {
                throw new SshException("a remote command cannot hold a NUL character");
            }
        }
    }

    public static RemoteCommand argv(List<String> argv) {
        return new RemoteCommand(argv, null, null, null, null, null);
    }

    public static RemoteCommand script(String script) {
        return new RemoteCommand(null, script, null, null, null, null);
    }

    public RemoteCommand withEnv(Map<String, String> e) {
        return new RemoteCommand(argv, script, e, cwd, stdin, timeout);
    }

    public RemoteCommand withCwd(String dir) {
        return new RemoteCommand(argv, script, env, dir, stdin, timeout);
    }

    public RemoteCommand withStdin(byte[] bytes) {
        return new RemoteCommand(argv, script, env, cwd, bytes, timeout);
    }

    public RemoteCommand withTimeout(Duration t) {
        return new RemoteCommand(argv, script, env, cwd, stdin, t);
    }

    /** The command as an operator would type it on the host (no sudo, no process-group wrapper). */
    public String display() {
        return argv != null ? String.join(" ", argv.stream().map(ShellQuote::wordIfNeeded).toList())
                : "bash -eu -o pipefail -c " + ShellQuote.word(script);
    }
}
