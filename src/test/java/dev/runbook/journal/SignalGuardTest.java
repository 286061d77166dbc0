package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runbook.engine.StepState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalGuardTest {
    @TempDir
    Path tmp;

    /**
     * A process started in the background may inherit SIGINT as ignored, and the JVM then keeps
     * it ignored (as it should under nohup). GNU env can give the child the default back.
     */
    static List<String> defaultSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT,TERM", "true").start();
            if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return List.of("env", "--default-signal=INT,TERM");
            }
        } catch (IOException | InterruptedException e) {
            // not GNU env
        }
        return List.of();
    }

    static void kill(String signal, long pid) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start().waitFor()).isZero();
    }

    private void interruptsTheStepAndExits130(String signal) throws Exception {
        Path state = tmp.resolve("state");
        try (Child c = Child.start(defaultSignals(), ChildMains.Signals.class, state.toString(), "stop", "10000")) {
            String handles = c.await("handles ", 60);
            Assumptions.assumeTrue(handles.contains(signal), "SIG" + signal + " is ignored in this environment: " + handles);
            String[] running = c.await("running ", 30).split(" ");
            long sleepPid = Long.parseLong(running[1]);
            String runId = running[2];
            assertThat(ProcessHandle.of(sleepPid)).get().matches(ProcessHandle::isAlive);
            // Process.destroy() would send SIGTERM too, but it also closes our end of the child's stdout.
            kill(signal, c.process.pid());
            assertThat(c.waitFor(30)).isEqualTo(130);
            assertThat(c.all).anyMatch(l -> l.startsWith("notice SIG" + signal + " received"));
            // The action's process was stopped with it.
            assertThat(ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            RunDir dir = RunStore.at(state).find(runId);
            RunState s = dir.state();
            assertThat(s.status()).isEqualTo(RunState.Status.INTERRUPTED);
            assertThat(s.exitCode()).isEqualTo(130);
            assertThat(s.message()).isEqualTo("interrupted by SIG" + signal);
            assertThat(s.steps().get("restore").state()).isEqualTo(StepState.INTERRUPTED);
            assertThat(s.currentStep()).isEqualTo("restore");
            assertThat(dir.readJournal().warnings()).isEmpty();
            assertThat(Files.readString(dir.report())).contains("**interrupted** (exit 130)");
            assertThat(RunLock.holder(dir.dir())).isEmpty();
        }
    }

    @Test
    void sigtermStopsTheActionRecordsTheStepInterruptedAndExits130() throws Exception {
        interruptsTheStepAndExits130("TERM");
    }

    @Test
    void sigintStopsTheActionRecordsTheStepInterruptedAndExits130() throws Exception {
        interruptsTheStepAndExits130("INT");
    }

    @Test
    void anActionThatWillNotStopIsEndedAfterTheGraceAndTheJournalStillReads() throws Exception {
        Path state = tmp.resolve("state");
        try (Child c = Child.start(defaultSignals(), ChildMains.Signals.class, state.toString(), "stuck", "500")) {
            c.await("handles ", 60);
            String[] running = c.await("running ", 30).split(" ");
            kill("TERM", c.process.pid());
            assertThat(c.waitFor(30)).isEqualTo(130);
            assertThat(c.all).anyMatch(l -> l.contains("did not stop within 500ms"));
            ProcessHandle.of(Long.parseLong(running[1])).ifPresent(ProcessHandle::destroyForcibly);
            RunState s = RunStore.at(state).find(running[2]).state();
            // No end was recorded; the journal says what happened all the same.
            assertThat(s.status()).isEqualTo(RunState.Status.INTERRUPTED);
            assertThat(s.exitCode()).isNull();
            assertThat(s.steps().get("restore").state()).isEqualTo(StepState.INTERRUPTED);
        }
    }

    @Test
    void registrationsAreStoppedOnceAndLateOnesAtOnce() {
        List<String> log = new CopyOnWriteArrayList<>();
        List<Integer> halts = new CopyOnWriteArrayList<>();
        SignalGuard g = new SignalGuard(Duration.ofSeconds(30), log::add, halts::add);
        assertThat(g.during(s -> log.add("done-stopped"), () -> "finished before any signal")).isEqualTo("finished before any signal");
        SignalGuard.Registration r = g.whileRunning(s -> log.add("stopped by " + s));
        g.checkpoint();
        assertThat(g.interrupted()).isFalse();
        g.deliver("INT");
        assertThat(g.interrupted()).isTrue();
        assertThat(g.signal()).isEqualTo("INT");
        assertThat(log).contains("stopped by INT").doesNotContain("done-stopped");
        r.close();
        g.during(s -> log.add("late stopped by " + s), () -> assertThat(log).contains("late stopped by INT"));
        assertThatThrownBy(g::checkpoint).isInstanceOf(SignalGuard.RunInterruptedException.class).hasMessage("interrupted by SIGINT");
        assertThat(halts).isEmpty();
        g.deliver("TERM");
        assertThat(halts).as("a second signal ends the process at once").containsExactly(130);
        g.close();
    }

    @Test
    void theGraceEndsARunThatWillNotStopUnlessItClosesFirst() throws Exception {
        List<Integer> halts = new CopyOnWriteArrayList<>();
        SignalGuard stuck = new SignalGuard(Duration.ofMillis(100), m -> { }, halts::add);
        stuck.deliver("TERM");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (halts.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(halts).containsExactly(130);

        List<Integer> none = new CopyOnWriteArrayList<>();
        SignalGuard prompt = new SignalGuard(Duration.ofMillis(300), m -> { }, none::add);
        prompt.deliver("TERM");
        prompt.close();
        Thread.sleep(600);
        assertThat(none).isEmpty();
    }
}
