package dev.runbook.ssh;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one string sent to sshd for a {@link RemoteCommand}. The login shell runs
 * <pre>[sudo -n --] bash -c 'set -m; (printf MARKER "$BASHPID" >&2; cd -- DIR &amp;&amp; export K=V &amp;&amp; exec CMD) &amp; set +m; wait $!'</pre>
 * or, when the login shell is itself bash and there is no sudo, the quoted part alone.
 * {@code set -m} puts the command in a process group of its own whose id (the subshell's pid)
 * is printed on stderr before the command starts, so that a timeout can kill the whole group
 * on the host, children included; {@code set +m} keeps bash from announcing the job's end.
 * Everything runs after sudo, so the environment survives sudo's env_reset and the directory
 * may be one only root can enter.
 */
final class RemoteCommandLine {
    /** Record separator + tag: a first stderr line no command prints by accident. */
    static final String MARKER = "\u001erunbook-pgid ";
    private static final Pattern MARKER_LINE = Pattern.compile("\u001erunbook-pgid (\\d+)");

    private RemoteCommandLine() {
    }

    /**
     * Asks a login shell whether it is bash and not restricted (rbash may not {@code cd}): prints
     * {@link #BASH_PROBE_YES} and the version then. csh and fish fail on the syntax; dash, zsh and
     * ksh print nothing.
     */
    static final String BASH_PROBE = "case $- in *r*) ;; *) [ -n \"${BASH_VERSION-}\" ] && printf 'bash %s' \"$BASH_VERSION\";; esac";
    static final String BASH_PROBE_YES = "bash ";

    static String build(RemoteCommand c, boolean sudo) {
        return build(c, sudo, false);
    }

    /**
     * @param direct the login shell is bash (and there is no sudo): it runs the wrapper itself,
     *               without a second bash
     */
    static String build(RemoteCommand c, boolean sudo, boolean direct) {
        StringBuilder inner = new StringBuilder();
        if (c.cwd() != null) {
            inner.append("cd -- ").append(ShellQuote.word(c.cwd())).append(" && ");
        }
        for (Map.Entry<String, String> e : c.env().entrySet()) {
            inner.append("export ").append(ShellQuote.word(e.getKey() + "=" + e.getValue())).append(" && ");
        }
        inner.append("exec");
        if (c.argv() != null) {
            inner.append(" --");
            for (String a : c.argv()) {
                inner.append(' ').append(ShellQuote.word(a));
            }
        } else {
            inner.append(" bash -eu -o pipefail -c ").append(ShellQuote.word(c.script())).append(" bash");
        }
        String wrapper = "set -m; (printf '" + MARKER.replace("\u001e", "\\036") + "%d\\n' \"$BASHPID\" >&2; "
                + inner + ") & set +m; wait $!";
        if (direct && !sudo) {
            return wrapper;
        }
        return (sudo ? "sudo -n -- " : "") + "bash -c " + ShellQuote.word(wrapper);
    }

    /** The process group a stderr line announces, or -1 when the line is not the marker. */
    static long processGroup(String line) {
        Matcher m = MARKER_LINE.matcher(line);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * A shell script that stops process group {@code pgid}: TERM, then KILL after 2 s; exits 0
     * once the group is gone, 1 if it outlived 4 s.
     */
    static String stop(long pgid, boolean sudo) {
        String script = "g=" + pgid + "; kill -TERM -- -$g 2>/dev/null; i=0;"
                + " while kill -0 -- -$g 2>/dev/null; do i=$((i+1));"
                + " if [ $i -ge 20 ]; then kill -KILL -- -$g 2>/dev/null; fi;"
                + " if [ $i -ge 40 ]; then exit 1; fi; sleep 0.1; done; exit 0";
        return (sudo ? "sudo -n -- " : "") + "bash -c " + ShellQuote.word(script);
    }
}
