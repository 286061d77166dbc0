package dev.runbook.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.proc.OutputListener;
import dev.runbook.testing.LiveProcesses;
import dev.runbook.testing.OpenSshServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands on a real sshd (this machine over loopback): values arrive byte for byte and never
 * run, and a timeout or an interruption leaves no process on the host.
 */
@Timeout(120)
class RemoteExecTest {
    /** Every shell metacharacter that could break out of a careless quoting. */
    static final String HOSTILE = "it's \"quoted\" $(touch %1$s) `touch %1$s` ${HOME} $HOME; touch %1$s && echo x | cat"
            + " \\ \\' '\\'' \n second line\ttab * ? [a] ~ # ! %% - -- --x=y \u00e9\u4e2d";

    static OpenSshServer server;
    static SshConnections connections;
    static SshTarget target;

    @TempDir
    Path dir;

    private final String marker = "rbssh-" + UUID.randomUUID();

    @BeforeAll
    static void start() throws Exception {
        server = OpenSshServer.start();
        Path kh = Files.createTempFile("rb-known", "");
        server.knownHosts(kh, server.knownHostsName() + " " + server.hostKey("ed25519"));
        target = SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                .withIdentityFile(server.userKey("ed25519").toString()).withKnownHosts(kh.toString()).withSshConfig("none");
        connections = new SshConnections();
    }

    @AfterAll
    static void stop() throws Exception {
        if (connections != null) {
            connections.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        LiveProcesses.kill(marker);
    }

    private String hostile() {
        return HOSTILE.formatted(dir.resolve("pwned"));
    }

    private ExecResult run(RemoteCommand c) throws InterruptedException {
        return new RemoteExec(connections).run(target, c, (line, err) -> { });
    }

    private void assertNothingRan() {
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void argvWordsArriveByteForByte() throws Exception {
        List<String> argv = List.of("printf", "<%s>", hostile(), "", "-n", "a b");
        ExecResult r = run(RemoteCommand.argv(argv));
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("<" + hostile() + "><><-n><a b>");
        assertThat(r.stderr()).isEmpty();
        assertNothingRan();
    }

    @Test
    void aScriptArrivesByteForByteAndRunsUnderBashStrictMode() throws Exception {
        String script = "printf '%s' " + ShellQuote.word(hostile()) + "\nprintf '|%s' \"$-\"";
        ExecResult r = run(RemoteCommand.script(script));
        assertThat(r.stdout()).startsWith(hostile() + "|");
        String flags = r.stdout().substring(hostile().length() + 1);
        assertThat(flags).contains("e").contains("u");
        assertNothingRan();

        assertThat(run(RemoteCommand.script("false | true\necho not reached")).exitCode()).isEqualTo(1);
        ExecResult unset = run(RemoteCommand.script("echo \"$NOT_SET_ANYWHERE\"\necho not reached"));
        assertThat(unset.exitCode()).isNotZero();
        assertThat(unset.stdout()).doesNotContain("not reached");
        assertThat(unset.stderr()).contains("NOT_SET_ANYWHERE");
    }

    @Test
    void envValuesAndTheWorkingDirectoryArriveByteForByte() throws Exception {
        Path cwd = dir.resolve("d'ir $(touch " + dir.resolve("pwned") + ") `x` \n z");
        Files.createDirectories(cwd);
        ExecResult r = run(RemoteCommand.script("printf '%s|%s|%s' \"$V\" \"$W\" \"$PWD\"")
                .withEnv(Map.of("V", hostile(), "W", "")).withCwd(cwd.toString()));
        assertThat(r.stdout()).isEqualTo(hostile() + "||" + cwd);
        assertNothingRan();

        ExecResult argv = run(RemoteCommand.argv(List.of("printenv", "V")).withEnv(Map.of("V", hostile())));
        assertThat(argv.stdout()).isEqualTo(hostile() + "\n");

        assertThatThrownBy(() -> RemoteCommand.argv(List.of("true")).withEnv(Map.of("A;B", "x")))
                .isInstanceOf(SshException.class).hasMessageContaining("'A;B' is not a shell name");
    }

    @Test
    void aMissingWorkingDirectoryFailsTheCommand() throws Exception {
        ExecResult r = run(RemoteCommand.argv(List.of("true")).withCwd(dir.resolve("absent").toString()));
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("absent");
    }

    @Test
    void stdinIsWrittenThenClosed() throws Exception {
        byte[] bytes = hostile().getBytes(StandardCharsets.UTF_8);
        assertThat(run(RemoteCommand.argv(List.of("cat")).withStdin(bytes)).stdout()).isEqualTo(hostile());
        // No stdin: closed at once, so a reader does not wait.
        ExecResult none = run(RemoteCommand.argv(List.of("cat")).withTimeout(Duration.ofSeconds(20)));
        assertThat(none.stdout()).isEmpty();
        assertThat(none.exitCode()).isZero();
        assertNothingRan();
    }

    @Test
    void linesGoToTheListenerAsTheyComeAndTheExitCodeIsTheCommands() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        ExecResult r = new RemoteExec(connections).run(target,
                RemoteCommand.script("echo one; echo two >&2; printf 'no newline'; exit 3"),
                (line, err) -> seen.add((err ? "E:" : "O:") + line));
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("one\nno newline");
        assertThat(r.stderr()).isEqualTo("two\n");
        assertThat(seen).containsExactlyInAnyOrder("O:one", "E:two", "O:no newline");
    }

    @Test
    void aTimeoutStopsTheRemoteCommandAndItsChildren() throws Exception {
        String script = """
                (exec -a %1$s-background sleep 300) &
                bash -c '(exec -a %1$s-grandchild sleep 300) & wait' &
                exec -a %1$s-foreground sleep 300
                """.formatted(marker);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> run(RemoteCommand.script(script).withTimeout(Duration.ofSeconds(2))))
                .isInstanceOf(SshTimeoutException.class)
                .hasMessage("timed out after 2s; the remote command was stopped");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        // The loopback host is this machine: its process table shows what the command left.
        assertThat(LiveProcesses.withMarker(marker)).isEmpty();
        // The session is still good for the next command.
        assertThat(run(RemoteCommand.argv(List.of("echo", "after"))).stdout()).isEqualTo("after\n");
    }

    @Test
    void anInterruptionStopsTheRemoteCommand() throws Exception {
        stopsALongCommand(() -> false, Thread::interrupt);
    }

    @Test
    void aStopRequestStopsTheRemoteCommandWithoutAnInterrupt() throws Exception {
        // JSch swallows an interrupt that comes while it opens a channel; the request is still seen.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        stopsALongCommand(stop::get, t -> stop.set(true));
        // Requested before the start: nothing runs at all.
        assertThatThrownBy(() -> new RemoteExec(connections).run(target,
                RemoteCommand.argv(List.of("touch", dir.resolve("never").toString())), OutputListener.NONE, () -> true))
                .isInstanceOf(InterruptedException.class);
        assertThat(dir.resolve("never")).doesNotExist();
    }

    /**
     * Starts {@code sleep 300} on the host from a thread of its own, stops it with {@code stopper}
     * once it runs, and checks that the call ended interrupted with nothing left on the host.
     */
    private void stopsALongCommand(java.util.function.BooleanSupplier stopRequested,
                                   java.util.function.Consumer<Thread> stopper) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Path started = dir.resolve("started");
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                new RemoteExec(connections).run(target, RemoteCommand.script("touch " + ShellQuote.word(started.toString())
                        + "\nexec -a " + marker + " sleep 300"), OutputListener.NONE, stopRequested);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(started) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(LiveProcesses.withMarker(marker)).isNotEmpty();
        stopper.accept(t);
        t.join(30_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(LiveProcesses.withMarker(marker)).isEmpty();
    }

    @Test
    void sudoRunsTheCommandAsRootWithItsEnvAndDirectory() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo is missing: run scripts/install-test-tools");
        assumeTrue("root".equals(server.user()) || sudoWorksWithoutPassword(), "this user has no passwordless sudo");
        ExecResult r = new RemoteExec(connections).run(target.withSudo(true),
                RemoteCommand.script("printf '%s|%s|%s' \"$(id -u)\" \"$V\" \"$PWD\"").withEnv(Map.of("V", hostile()))
                        .withCwd(dir.toString()), (l, e) -> { });
        assertThat(r.stdout()).isEqualTo("0|" + hostile() + "|" + dir);
        assertNothingRan();
    }

    @Test
    void aSudoThatWantsAPasswordFailsSayingSo() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sudo")), "sudo is missing: run scripts/install-test-tools");
        String password = server.passwordUser();
        SshTarget user = target.withUser(OpenSshServer.PASSWORD_USER).withIdentityFile(null).withPassword(password);
        try (SshConnections own = new SshConnections()) {
            assertThatThrownBy(() -> new RemoteExec(own).run(user.withSudo(true), RemoteCommand.argv(List.of("true")), (l, e) -> { }))
                    .isInstanceOf(SshException.class)
                    .hasMessageStartingWith("sudo on " + OpenSshServer.PASSWORD_USER + "@127.0.0.1:" + server.port() + " wants a password")
                    .message().doesNotContain(password);
        }
    }

    private static boolean sudoWorksWithoutPassword() throws Exception {
        Process p = new ProcessBuilder("sudo", "-n", "true").start();
        return p.waitFor() == 0;
    }
}
