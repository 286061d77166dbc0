package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The login shell runs the process-group wrapper itself only when it is an unrestricted bash;
 * the probe that decides it is run here by the shells a host may log in with.
 */
class RemoteCommandLineTest {
    @Test
    void aBashLoginShellGetsTheWrapperItselfAnyOtherGetsItThroughBash() throws Exception {
        RemoteCommand c = RemoteCommand.argv(List.of("printf", "%s", "it's $HOME"));
        String direct = RemoteCommandLine.build(c, false, true);
        String wrapped = RemoteCommandLine.build(c, false, false);
        assertThat(wrapped).startsWith("bash -c ");
        assertThat(direct).startsWith("set -m; ");
        assertThat(RemoteCommandLine.build(c, true, true)).as("sudo needs a command: bash").startsWith("sudo -n -- bash -c ");
        // Both forms run the same command, byte for byte, announcing its process group first.
        for (String line : List.of(direct, wrapped)) {
            Process p = new ProcessBuilder("bash", "-c", line).start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("it's $HOME");
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(RemoteCommandLine.processGroup(err.split("\n")[0])).isPositive();
        }
    }

    @Test
    void theProbeSaysBashOnlyForAnUnrestrictedBash() throws Exception {
        assertThat(probe("/bin/bash")).startsWith(RemoteCommandLine.BASH_PROBE_YES);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dash")), "dash is not installed");
        assertThat(probe("/usr/bin/dash")).isEmpty();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/rbash")), "rbash is not installed");
        assertThat(probe("/usr/bin/rbash")).as("rbash may not cd").isEmpty();
    }

    /** What a login shell prints for the probe, as sshd runs it: SHELL -c TEXT. */
    private static String probe(String shell) throws Exception {
        Process p = new ProcessBuilder(shell, "-c", RemoteCommandLine.BASH_PROBE).redirectErrorStream(true).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
