package dev.runbook.journal;

import dev.runbook.proc.Who;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLockTest {
    @TempDir
    Path tmp;

    Path runDir() throws IOException {
        return Files.createDirectories(tmp.resolve("runs").resolve("20261123-031500-demo-0a0b"));
    }

    @Test
    void oneHolderAtATimeInThisProcessAndFreeAfterClose() throws IOException {
        Path dir = runDir();
        try (RunLock lock = RunLock.acquire(dir, "run")) {
            assertThat(lock.tookOver()).isEmpty();
            assertThat(RunLock.holder(dir)).get().extracting(RunLock.Holder::pid).isEqualTo(Who.pid());
            assertThatThrownBy(() -> RunLock.acquire(dir, "resume"))
                    .isInstanceOf(RunLockedException.class)
                    .hasMessageContaining("run 20261123-031500-demo-0a0b is in use by another process: pid " + Who.pid())
                    .hasMessageContaining("on host " + Who.host());
            String content = Files.readString(dir.resolve(RunLock.FILE_NAME));
            assertThat(content).contains("\"pid\":" + Who.pid()).contains("\"command\":\"run\"");
        }
        assertThat(RunLock.holder(dir)).isEmpty();
        assertThat(Files.readString(dir.resolve(RunLock.FILE_NAME))).isEmpty();
        try (RunLock again = RunLock.acquire(dir, "resume")) {
            assertThat(again.tookOver()).as("a clean release leaves nothing to take over").isEmpty();
        }
    }

    @Test
    void aLockFileNamingAHolderWhoseOsLockIsGoneIsTakenOverWithANote() throws IOException {
        Path dir = runDir();
        Files.writeString(dir.resolve(RunLock.FILE_NAME),
                "{\"pid\":999999999,\"host\":\"" + Who.host() + "\",\"user\":\"carol\",\"since\":\"2026-11-23T03:15:00Z\",\"command\":\"run\"}\n",
                StandardCharsets.UTF_8);
        assertThat(RunLock.holder(dir)).as("no OS lock: nobody holds it").isEmpty();
        try (RunLock lock = RunLock.acquire(dir, "resume")) {
            assertThat(lock.tookOver()).get().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(999999999L);
                assertThat(h.since()).isEqualTo(Instant.parse("2026-11-23T03:15:00Z"));
            });
            assertThat(lock.takeOverNote()).contains("took over the lock").contains("pid 999999999")
                    .contains("since 2026-11-23 03:15:00Z").contains("that process is gone");
        }
    }

    @Test
    void aSecondProcessIsRefusedWithTheHoldersPidHostAndSinceAndTakesOverAfterAKill9() throws Exception {
        Path dir = runDir();
        try (Child holder = Child.start(ChildMains.Locker.class, dir.toString())) {
            long pid = Long.parseLong(holder.await("locked ", 30).substring(7));
            assertThat(pid).isEqualTo(holder.process.pid());

            // This process is refused, naming the child.
            assertThatThrownBy(() -> RunLock.acquire(dir, "run"))
                    .isInstanceOf(RunLockedException.class)
                    .hasMessageContaining("pid " + pid + " on host " + Who.host())
                    .hasMessageContaining("runbook resume")
                    .hasMessageContaining("since " + Instant.now().toString().substring(0, 10))
                    .satisfies(e -> assertThat(((RunLockedException) e).holder().pid()).isEqualTo(pid));
            assertThat(RunLock.holder(dir)).get().extracting(RunLock.Holder::pid).isEqualTo(pid);

            // So is a third process.
            try (Child second = Child.start(ChildMains.Locker.class, dir.toString())) {
                assertThat(second.await("refused ", 30)).contains("pid " + pid);
                assertThat(second.waitFor(30)).isEqualTo(4);
            }

            // kill -9: the OS drops the lock; the file still names the dead holder.
            holder.process.destroyForcibly();
            holder.waitFor(30);
            assertThat(Files.readString(dir.resolve(RunLock.FILE_NAME))).contains("\"pid\":" + pid);
            assertThat(RunLock.holder(dir)).isEmpty();
            try (RunLock lock = RunLock.acquire(dir, "resume")) {
                assertThat(lock.tookOver()).get().extracting(RunLock.Holder::pid).isEqualTo(pid);
                assertThat(lock.takeOverNote()).contains("pid " + pid);
            }
        }
    }

    @Test
    void aCleanlyReleasedLockIsTakenWithoutANoteByTheNextProcess() throws Exception {
        Path dir = runDir();
        try (Child first = Child.start(ChildMains.Locker.class, dir.toString())) {
            first.await("locked ", 30);
            first.process.getOutputStream().write("release\n".getBytes(StandardCharsets.UTF_8));
            first.process.getOutputStream().flush();
            first.await("released", 30);
            assertThat(first.waitFor(30)).isZero();
        }
        try (Child next = Child.start(ChildMains.Locker.class, dir.toString())) {
            next.await("locked ", 30);
            assertThat(next.all).noneMatch(l -> l.contains("took over"));
        }
    }
}
