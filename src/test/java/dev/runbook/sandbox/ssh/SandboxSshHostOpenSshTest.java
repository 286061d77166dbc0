package dev.runbook.sandbox.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real OpenSSH clients against a simulated host, trusting it through a known_hosts file
 * that holds only {@link SandboxSshHost#knownHostsLine()}, with strict host key checking.
 */
class SandboxSshHostOpenSshTest {
    private static final Path SSH = Path.of("/usr/bin/ssh");
    private static final Path SFTP = Path.of("/usr/bin/sftp");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");

    /** One client key for the class: ssh-keygen is the slowest part of a test otherwise. */
    @TempDir
    static Path keyDir;

    private static Path clientKey;

    @TempDir
    Path dir;

    private Path root;
    private Path knownHosts;
    private SandboxSshHost host;

    record Result(int exitCode, String stdout, String stderr) {
    }

    @BeforeAll
    static void openSshInstalled() throws Exception {
        for (Path tool : List.of(SSH, SFTP, SSH_KEYGEN)) {
            assumeTrue(Files.isExecutable(tool), "OpenSSH client not installed: " + tool + " is missing");
        }
        clientKey = keyDir.resolve("id_ed25519");
        Result keygen = run(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-f",
                clientKey.toString()), new byte[0]);
        assertThat(keygen.exitCode()).as(keygen.stderr()).isZero();
    }

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(dir.resolve("hosts/backups.example.com"));
        host = SandboxSshHost.start("backups.example.com", root, request -> switch (request.command()) {
            case "df -k /var/db" -> Optional.of(CommandAnswer.of("4096000\n", "df: warning\n", 3));
            case "tr a-z A-Z" -> Optional.of(CommandAnswer.of(
                    new String(request.stdin(), StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT), "", 0));
            default -> Optional.empty();
        });
        knownHosts = Files.writeString(dir.resolve("known_hosts"), host.knownHostsLine() + "\n");
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void sshGetsTheAnswersOutputAndExitCode() throws Exception {
        Result result = ssh("df -k /var/db", new byte[0]);

        assertThat(result).isEqualTo(new Result(3, "4096000\n", "df: warning\n"));
    }

    @Test
    void anUnansweredCommandExits127AndRunsNothing() throws Exception {
        Path marker = dir.resolve("created-by-ssh");

        Result result = ssh("touch " + marker, new byte[0]);

        assertThat(result.exitCode()).isEqualTo(127);
        assertThat(result.stderr()).isEqualTo("sandbox: no exec answer for 'touch " + marker
                + "' on host backups.example.com (add one to sandbox.yaml)\n");
        assertThat(marker).doesNotExist();
    }

    @Test
    void sshSendsStandardInputToTheAnswer() throws Exception {
        Result result = ssh("tr a-z A-Z", "list-backups\n".getBytes(StandardCharsets.UTF_8));

        assertThat(result).isEqualTo(new Result(0, "LIST-BACKUPS\n", ""));
    }

    @Test
    void anotherHostKeyUnderTheSameAddressIsRejected() throws Exception {
        try (SandboxSshHost other = SandboxSshHost.start("other", root, CommandAnswers.none())) {
            String otherKey = other.knownHostsLine().substring(other.knownHostsLine().indexOf(' ') + 1);
            Files.writeString(knownHosts, "[127.0.0.1]:" + host.port() + " " + otherKey + "\n");

            Result result = ssh("df -k /var/db", new byte[0]);

            assertThat(result.exitCode()).isEqualTo(255);
            assertThat(result.stderr()).contains("Host key verification failed");
        }
    }

    @Test
    void anInteractiveShellIsRefusedWithAMessage() throws Exception {
        Result result = ssh(List.of("-T"), null, new byte[0]);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr()).contains("sandbox: host backups.example.com has no interactive shell");
    }

    @Test
    void sftpRoundTripKeepsEveryByte() throws Exception {
        byte[] content = new byte[200_000];
        new Random(7).nextBytes(content);
        Path upload = Files.write(dir.resolve("upload.bin"), content);
        Path download = dir.resolve("download.bin");

        Result result = sftp("mkdir /backups\nput " + upload + " /backups/up.bin\nget /backups/up.bin "
                + download + "\nls -l /backups\n");

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(root.resolve("backups/up.bin")).hasBinaryContent(content);
        assertThat(download).hasBinaryContent(content);
        assertThat(result.stdout()).contains("up.bin");
    }

    @Test
    void sftpCannotReachAboveTheRoot() throws Exception {
        Files.writeString(dir.resolve("hosts/outside.txt"), "secret");
        Path download = dir.resolve("got.txt");

        Result result = sftp("get ../outside.txt " + download + "\n");

        assertThat(result.exitCode()).isNotZero();
        assertThat(download).doesNotExist();
    }

    @Test
    void aTunnelTo127001WorksAndAnyOtherTargetIsProhibited() throws Exception {
        try (EchoServer echo = new EchoServer("127.0.0.1")) {
            byte[] ping = "ping\n".getBytes(StandardCharsets.UTF_8);
            Result allowed = ssh(List.of("-W", "127.0.0.1:" + echo.port()), null, ping);
            // Another loopback address: were the filter wrong, nothing would leave this machine.
            // LogLevel INFO: the reason the server gave is an INFO line for ssh.
            Result refused = ssh(List.of("-o", "LogLevel=INFO", "-W", "127.0.0.2:" + echo.port()), null, ping);

            assertThat(allowed.stdout()).isEqualTo("ping\n");
            assertThat(refused.exitCode()).isEqualTo(255);
            assertThat(refused.stderr()).contains("administratively prohibited");
        }
    }

    private List<String> clientOptions() {
        return List.of("-F", "/dev/null", "-i", clientKey.toString(),
                "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", "BatchMode=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "UpdateHostKeys=no", "-o", "CheckHostIP=no",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10");
    }

    private Result ssh(String remoteCommand, byte[] stdin) throws Exception {
        return ssh(List.of(), remoteCommand, stdin);
    }

    /** {@code ssh [options] operator@127.0.0.1 [remoteCommand]}; a null command asks for a shell. */
    private Result ssh(List<String> options, String remoteCommand, byte[] stdin) throws Exception {
        List<String> command = new ArrayList<>(List.of(SSH.toString(), "-p", String.valueOf(host.port())));
        command.addAll(options); // first: for ssh the first value given for an option wins
        command.addAll(clientOptions());
        command.add("operator@127.0.0.1");
        if (remoteCommand != null) {
            command.add(remoteCommand);
        }
        return run(command, stdin);
    }

    private Result sftp(String batch) throws Exception {
        Path batchFile = Files.writeString(dir.resolve("batch.txt"), batch);
        List<String> command = new ArrayList<>(List.of(SFTP.toString(), "-P", String.valueOf(host.port()),
                "-b", batchFile.toString()));
        command.addAll(clientOptions());
        command.add("operator@127.0.0.1");
        return run(command, new byte[0]);
    }

    private static Result run(List<String> command, byte[] stdin) throws Exception {
        Process process = new ProcessBuilder(command).start();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Result(process.exitValue(), new String(out.get(), StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            in.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
