package dev.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.runbook.cli.Cli;
import dev.runbook.secrets.Redactor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a run does with hostile things it meets: files that are not plain files where it
 * writes, secrets hidden inside longer base64 text, terminal escape sequences in the output of
 * its steps. Each case here was once wrong; none may come back quietly.
 */
@Timeout(60)
class HostileOutputTest {
    static final String ESC = "\u001b";

    @TempDir
    Path dir;

    private Cli.Result run(String runbook, String... more) throws IOException {
        Path rb = dir.resolve("rb.yaml");
        Files.writeString(rb, runbook, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("run", rb.toString(), "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    private static String writeTo(Path target, String content) {
        return """
                apiVersion: runbook/v1
                name: w
                steps:
                  - id: w
                    file: {write: "%s", content: "%s"}
                """.formatted(target, content);
    }

    // ---- file: write ----------------------------------------------------------------------

    @Test
    void writingThroughASymlinkWritesItsTargetAndKeepsTheLink() throws Exception {
        Path real = Files.writeString(dir.resolve("resolv.conf"), "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), real.getFileName());
        Cli.Result r = run(writeTo(link, "new"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
    }

    @Test
    void aDanglingSymlinkIsFollowedLikeAShellRedirection() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), Path.of("created.conf"));
        Cli.Result r = run(writeTo(link, "made"));
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(dir.resolve("created.conf"))).isEqualTo("made");
    }

    @Test
    void aLinkToADeviceIsRefusedAndLeftAlone() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"));
        Cli.Result r = run(writeTo(link, "x"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("is a character device, not a regular file");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "needs mkfifo");
        long start = System.nanoTime();
        Cli.Result r = HostileInputsTest.withoutBlockingOn(fifo, () -> run(writeTo(fifo, "x")));
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("is a FIFO, not a regular file");
        assertThat(Files.isRegularFile(fifo)).as("still a FIFO").isFalse();
        assertThat(Files.exists(fifo)).isTrue();
    }

    @Test
    void aDeviceNodeIsNotReplacedByAFile() throws Exception {
        Path dev = dir.resolve("zero");
        boolean made = new ProcessBuilder("mknod", dev.toString(), "c", "1", "5").start().waitFor() == 0;
        assumeTrue(made, "needs mknod (root)");
        Cli.Result r = run(writeTo(dev, "x"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("is a character device, not a regular file");
        assertThat(Files.isRegularFile(dev)).as("still a device").isFalse();
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Cli.Result r = run(writeTo(sub, "x"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("is a directory, not a regular file");
    }

    // ---- base64 of a secret inside longer text ----------------------------------------------

    static final String SECRET = "Sup3r-secret-Val!";

    /** The texts whose base64 must never show the secret: every alignment, standard and URL. */
    static List<String> encodingsAroundTheSecret() {
        List<String> out = new ArrayList<>();
        for (String prefix : List.of("", "a", "ab", "abc", "root:", "user:pw:")) {
            for (String suffix : List.of("", "z", "\n", "?>~")) {
                byte[] b = (prefix + SECRET + suffix).getBytes(StandardCharsets.UTF_8);
                out.add(Base64.getEncoder().encodeToString(b));
                out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
            }
        }
        return out;
    }

    /** The part of an encoding that depends on the secret's bytes only, whatever the alignment. */
    static String secretPart(String encoded, int prefixBytes) {
        int from = (prefixBytes * 8 + 5) / 6 + 1;
        int to = ((prefixBytes + SECRET.length()) * 8) / 6 - 1;
        return encoded.substring(from, to);
    }

    @Test
    void theRedactorMasksABase64SecretAtEveryOffset() {
        Redactor r = new Redactor();
        r.add(SECRET);
        for (String prefix : List.of("", "a", "ab", "abc", "root:", "user:pw:")) {
            for (String suffix : List.of("", "z", "\n", "?>~")) {
                byte[] b = (prefix + SECRET + suffix).getBytes(StandardCharsets.UTF_8);
                for (String enc : List.of(Base64.getEncoder().encodeToString(b),
                        Base64.getUrlEncoder().withoutPadding().encodeToString(b))) {
                    String shown = r.redact("Authorization: Basic " + enc + " end");
                    assertThat(shown).as(prefix + "|" + suffix).contains(Redactor.MASK)
                            .doesNotContain(secretPart(enc, prefix.length()));
                }
            }
        }
        assertThat(r.redact("nothing secret in QUJDREVGRw== here")).isEqualTo("nothing secret in QUJDREVGRw== here");
    }

    @Test
    void basicAuthAndShiftedBase64NeverReachConsoleJournalOrReport() throws Exception {
        Cli.Result r = run("""
                apiVersion: runbook/v1
                name: b64
                params:
                  pw: {secret: true}
                steps:
                  - id: encode
                    mutates: false
                    shell:
                      script: |
                        printf %s ab${{ params.pw }} | base64
                        printf %s root:${{ params.pw }} | base64
                        printf %s x${{ params.pw }}y | base64 | tr +/ -_
                    capture: {out: "${{ result.stdout }}"}
                  - id: fail
                    mutates: false
                    shell: {script: "printf %s root:${{ params.pw }} | base64 >&2; exit 1"}
                """, "--set", "pw=" + SECRET);
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        List<String> texts = new ArrayList<>(List.of(r.all()));
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(texts).hasSizeGreaterThan(2);
        for (String prefix : List.of("ab", "root:", "x")) {
            byte[] b = (prefix + SECRET + (prefix.equals("x") ? "y" : "")).getBytes(StandardCharsets.UTF_8);
            for (String enc : List.of(Base64.getEncoder().encodeToString(b), Base64.getUrlEncoder().encodeToString(b))) {
                for (String t : texts) {
                    assertThat(t).doesNotContain(secretPart(enc, prefix.length()));
                }
            }
        }
    }

    // ---- terminal escape sequences -----------------------------------------------------------

    @Test
    void escapeSequencesFromStepsAreShownEscapedButWrittenRawWhereAsked() throws Exception {
        Path copy = dir.resolve("copy.txt");
        Cli.Result r = run("""
                apiVersion: runbook/v1
                name: esc
                steps:
                  - id: hostile
                    mutates: false
                    shell:
                      script: |
                        printf '\\033]0;pwned\\007\\033[2J\\033[31mred\\r\\n'
                        printf 'c1 \\302\\233 bidi \\342\\200\\256 done\\n'
                    capture: {out: "${{ result.stdout }}"}
                  - id: keep
                    file: {write: "%s", content: "${{ steps.hostile.outputs.out }}"}
                  - id: fails
                    shell: {script: "printf '\\\\033[2Jboom' >&2; exit 1"}
                """.formatted(copy));
        assertThat(r.code()).as(r.all()).isEqualTo(1);
        assertThat(r.all()).doesNotContain(ESC).doesNotContain("\u0007").doesNotContain("\u009b")
                .doesNotContain("\u202e").doesNotContain("\r");
        assertThat(r.out()).contains("\\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred")
                .contains("c1 \\x9b bidi \\u202e done")
                .contains("\\x1b[2Jboom");
        assertThat(Files.readString(copy, StandardCharsets.UTF_8)).startsWith(ESC + "]0;pwned\u0007" + ESC + "[2J");
    }
}
