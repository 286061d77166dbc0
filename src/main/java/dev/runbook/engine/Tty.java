package dev.runbook.engine;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Questions asked on {@code /dev/tty} when standard input is a terminal but standard output
 * is not (a pipe to {@code tee}). Secrets are read with echo turned off by {@code stty}.
 */
final class Tty implements Terminal {
    private static final File DEV_TTY = new File("/dev/tty");
    private final boolean color;
    private BufferedReader in;

    Tty(boolean color) {
        this.color = color;
    }

    /** Whether file descriptor {@code fd} of this process is a terminal (Linux: /proc/self/fd). */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.startsWith("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public boolean color() {
        return color;
    }

    @Override
    public synchronized String readLine(String prompt) {
        try {
            write(prompt);
            return reader().readLine();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized char[] readSecret(String prompt) {
        try {
            write(prompt);
            stty("-echo");
            try {
                String line = reader().readLine();
                return line == null ? null : line.toCharArray();
            } finally {
                stty("echo");
                write("\n");
            }
        } catch (IOException e) {
            return null;
        }
    }

    private BufferedReader reader() throws IOException {
        if (in == null) {
            in = new BufferedReader(new InputStreamReader(new FileInputStream(DEV_TTY), StandardCharsets.UTF_8));
        }
        return in;
    }

    private static void write(String s) throws IOException {
        try (OutputStream o = new FileOutputStream(DEV_TTY)) {
            o.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void stty(String mode) {
        try {
            new ProcessBuilder("stty", mode).redirectInput(DEV_TTY).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // no stty: the secret is echoed, which the operator sees happen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
