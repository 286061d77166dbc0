package dev.runbook.sandbox.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A JSch session to a simulated host that trusts exactly the key it is given, nothing else. */
final class JschClient implements AutoCloseable {
    record Result(int exitCode, String stdout, String stderr) {
    }

    private final Session session;

    JschClient(int port, byte[] trustedHostKey) throws JSchException {
        this(port, trustedHostKey, "password");
    }

    /** {@code authentication}: the one method JSch may use, e.g. "keyboard-interactive". */
    JschClient(int port, byte[] trustedHostKey, String authentication) throws JSchException {
        JSch jsch = new JSch();
        jsch.setHostKeyRepository(new OnlyThisKey(trustedHostKey));
        session = jsch.getSession("operator", "127.0.0.1", port);
        session.setPassword("any password at all");
        session.setConfig("PreferredAuthentications", authentication);
        session.connect(10_000);
    }

    static JschClient to(SandboxSshHost host) throws JSchException {
        return new JschClient(host.port(), host.hostKeyBlob());
    }

    Session session() {
        return session;
    }

    Result exec(String command) throws Exception {
        return exec(command, null);
    }

    /** Runs one command; {@code stdin} null leaves the input open, as JSch does by default. */
    Result exec(String command, byte[] stdin) throws Exception {
        ChannelExec channel = (ChannelExec) session.openChannel("exec");
        channel.setCommand(command);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        channel.setErrStream(err);
        InputStream out = channel.getInputStream();
        OutputStream in = stdin == null ? null : channel.getOutputStream();
        channel.connect(10_000);
        if (in != null) {
            in.write(stdin);
            in.close();
        }
        byte[] stdout = out.readAllBytes();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!channel.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        channel.disconnect();
        return new Result(channel.getExitStatus(), new String(stdout, StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    ChannelSftp sftp() throws JSchException {
        ChannelSftp sftp = (ChannelSftp) session.openChannel("sftp");
        sftp.connect(10_000);
        return sftp;
    }

    @Override
    public void close() {
        session.disconnect();
    }

    /** Trusts one key for 127.0.0.1, as a sandbox run does; anything else is not known. */
    private record OnlyThisKey(byte[] key) implements HostKeyRepository {
        @Override
        public int check(String host, byte[] offered) {
            return Arrays.equals(key, offered) ? OK : CHANGED;
        }

        @Override
        public void add(HostKey hostkey, UserInfo ui) {
            throw new UnsupportedOperationException("a sandbox host key is never stored");
        }

        @Override
        public void remove(String host, String type) {
        }

        @Override
        public void remove(String host, String type, byte[] key) {
        }

        @Override
        public String getKnownHostsRepositoryID() {
            return "sandbox host key";
        }

        @Override
        public HostKey[] getHostKey() {
            return new HostKey[0];
        }

        @Override
        public HostKey[] getHostKey(String host, String type) {
            return new HostKey[0];
        }
    }

    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
