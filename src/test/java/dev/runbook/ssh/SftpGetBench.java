package dev.runbook.ssh;

import dev.runbook.testing.OpenSshServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * How fast an sftp get of a large file is over loopback: OpenSSH's sftp client against this
 * package (JSch) with its default number of requests in flight and with ours. Started by
 * bench/sftp-get.sh; prints one line per client, the median of a few rounds.
 * Arguments: [MiB (256)] [rounds (3)].
 */
public final class SftpGetBench {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path work = Files.createTempDirectory("rb-sftp-bench");
        try (OpenSshServer server = OpenSshServer.start()) {
            Path remote = work.resolve("remote.bin");
            try (OutputStream out = Files.newOutputStream(remote)) {
                byte[] chunk = new byte[1 << 20];
                Random r = new Random(1);
                for (int i = 0; i < mib; i++) {
                    r.nextBytes(chunk); // incompressible, as a backup archive is
                    out.write(chunk);
                }
            }
            Path kh = server.knownHosts(work.resolve("known_hosts"), server.knownHostsName() + " " + server.hostKey("ed25519"));
            SshTarget target = SshTarget.of(server.host()).withPort(server.port()).withUser(server.user())
                    .withIdentityFile(server.userKey("ed25519").toString()).withKnownHosts(kh.toString()).withSshConfig("none");
            Path local = work.resolve("local.bin");
            System.out.printf("sftp get of %d MiB over loopback, median of %d rounds%n", mib, rounds);
            report("OpenSSH sftp", mib, rounds, () -> openSsh(server, kh, remote, local));
            try (SshConnections c = new SshConnections()) {
                c.session(target); // connecting is not the transfer
                for (int requests : new int[] {16, Sftp.REQUESTS_IN_FLIGHT}) {
                    Sftp sftp = new Sftp(c, requests);
                    report("runbook (JSch, " + requests + " requests in flight" + (requests == 16 ? ", JSch's default)" : ")"), mib, rounds,
                            () -> sftp.get(target, remote.toString(), local, Sftp.Progress.NONE));
                }
            }
            if (Files.mismatch(remote, local) != -1) {
                throw new IllegalStateException("the copy differs from the original");
            }
        } finally {
            try (var s = Files.walk(work)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private interface Round {
        void run() throws Exception;
    }

    private static void report(String who, int mib, int rounds, Round round) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            round.run();
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        seconds.sort(null);
        double median = seconds.get(seconds.size() / 2);
        System.out.printf("  %-52s %6.2f s  %7.1f MiB/s%n", who, median, mib / median);
    }

    private static void openSsh(OpenSshServer server, Path knownHosts, Path remote, Path local) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sftp", "-q", "-b", "-", "-P", String.valueOf(server.port()),
                "-i", server.userKey("ed25519").toString(), "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", server.user() + "@" + server.host())
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("get " + remote + " " + local + "\n").getBytes());
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("sftp failed: " + out);
        }
    }
}
