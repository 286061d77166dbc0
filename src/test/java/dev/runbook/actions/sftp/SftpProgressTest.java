package dev.runbook.actions.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.ssh.Sftp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress lines: none for a small transfer, one per 16 MiB for a big one. */
class SftpProgressTest {
    @Test
    void aSmallTransferSaysNothing() {
        List<String> lines = new ArrayList<>();
        Sftp.Progress p = SftpHandler.progress((line, err) -> lines.add(line), "downloaded");
        for (long b = 0; b <= 1_000_000; b += 32_768) {
            p.update(b, 1_000_000);
        }
        assertThat(lines).isEmpty();
    }

    @Test
    void aBigTransferSaysHowFarItIsEvery16MiB() {
        List<String> lines = new ArrayList<>();
        Sftp.Progress p = SftpHandler.progress((line, err) -> lines.add(line), "uploaded");
        long total = 40L * 1024 * 1024;
        for (long b = 0; b <= total; b += 32_768) {
            p.update(b, total);
        }
        assertThat(lines).containsExactly("uploaded 16.0 MiB of 40.0 MiB (40%)", "uploaded 32.0 MiB of 40.0 MiB (80%)");
    }
}
