package dev.runbook.cli;

import dev.runbook.proc.Who;
import dev.runbook.testing.LiveProcesses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.StepState;
import dev.runbook.journal.JournalContents;
import dev.runbook.journal.JournalException;
import dev.runbook.journal.RunDir;
import dev.runbook.journal.RunLock;
import dev.runbook.journal.RunState;
import dev.runbook.journal.RunStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs in real runbook processes that are killed with {@code kill -9}, signalled, or raced
 * against, and then resumed. Every step appends a line to a log, so the tests count how many
 * times each really ran.
 */
@Timeout(180)
class ResumeProcessTest {
    @TempDir
    Path dir;

    private final String marker = "rbtest-" + UUID.randomUUID();

    Path state() {
        return dir.resolve("state");
    }

    Path log() {
        return dir.resolve("log");
    }

    Cli.Child start(String name, String... args) throws IOException {
        List<String> l = new java.util.ArrayList<>(List.of(args));
        l.addAll(List.of("--state-dir", state().toString(), "--no-color"));
        return new Cli.Child(dir, name, defaultSignals(), l.toArray(String[]::new));
    }

    Cli.Result cli(String... args) {
        return cli(dev.runbook.engine.Terminal.none(), args);
    }

    Cli.Result cli(dev.runbook.engine.Terminal terminal, String... args) {
        List<String> l = new java.util.ArrayList<>(List.of(args));
        l.addAll(List.of("--state-dir", state().toString(), "--no-color"));
        return Cli.run(terminal, l.toArray(String[]::new));
    }

    /** The only run in the state directory whose journal began. */
    RunDir theRun() {
        List<RunDir> begun = RunStore.at(state()).list().stream().filter(d -> Files.exists(d.journal())).toList();
        assertThat(begun).hasSize(1);
        return begun.get(0);
    }

    /**
     * A process started in the background may inherit SIGINT as ignored, and the JVM then keeps
     * it ignored (as it should under nohup). GNU env gives the child the default back.
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

    /** Live processes whose command line holds this test's marker. */
    private List<Long> survivors() throws IOException {
        return LiveProcesses.withMarker(marker);
    }

    @AfterEach
    void cleanUp() throws IOException {
        LiveProcesses.kill(marker);
    }

    /** Starts {@code args}, waits for {@code started}, then kills the runbook process with {@code kill -9}. */
    private Cli.Child killDuring(Path started, String... args) throws Exception {
        Cli.Child c = start("killed", args);
        try {
            assertThat(Cli.waitFor(started, 60)).as("the step started; the process printed %s",
                    Files.exists(c.err) ? Files.readString(c.err) : "").isTrue();
        } finally {
            c.kill9();
        }
        return c;
    }

    @Test
    void anInterruptedMutatingStepRunsAgainOnlyWhenTheOperatorSaysSo() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: interrupted
                steps:
                  - id: before
                    shell: {script: "echo before >> %1$s/log"}
                  - id: slow
                    shell:
                      script: |
                        echo slow >> %1$s/log
                        if [ -e %1$s/fast ]; then exit 0; fi
                        echo $$ > %1$s/slow.pid
                        touch %1$s/slow.started
                        exec -a %2$s sleep 120
                  - id: after
                    shell: {script: "echo after >> %1$s/log"}
                """.formatted(dir, marker));
        Cli.Child killed = killDuring(dir.resolve("slow.started"), "run", rb.toString());
        RunDir run = theRun();
        assertThat(run.state().steps().get("slow").state()).isEqualTo(StepState.INTERRUPTED);
        long sleepPid = Long.parseLong(Files.readString(dir.resolve("slow.pid")).strip());

        // The killed process's step is still running: running it again beside it would do its work twice.
        Cli.Result busy = cli("resume");
        assertThat(busy.code()).as(busy.all()).isEqualTo(4);
        assertThat(busy.err()).contains("note: took over the lock of run " + run.id() + " from pid " + killed.process.pid()
                        + " on host " + Who.host()).contains("that process is gone")
                .contains("still has processes started by its earlier runbook process")
                .contains("pid " + sleepPid + ": ");
        ProcessHandle.of(sleepPid).ifPresent(ProcessHandle::destroyForcibly);
        Cli.reapStepProcesses(run.id(), 10);

        Cli.Result noTerminal = cli("resume");
        assertThat(noTerminal.code()).as(noTerminal.all()).isEqualTo(3);
        assertThat(noTerminal.out()).contains("step 'slow' was running when the run's process stopped, so part of its work"
                + " may be done; it is neither a read nor idempotent").contains("resume with --yes to run it again");
        assertThat(Cli.lines(log())).containsExactly("before", "slow");

        Cli.Scripted no = new Cli.Scripted("n");
        Cli.Result declined = cli(no, "resume");
        assertThat(declined.code()).as(declined.all()).isEqualTo(3);
        assertThat(no.asked).singleElement().asString().contains("step 'slow' was running when the run's process stopped")
                .contains("Run it again? [y/N]");
        assertThat(declined.out()).contains("step 'slow' was not run again: declined by " + System.getProperty("user.name"));
        assertThat(Cli.lines(log())).containsExactly("before", "slow");

        Files.writeString(dir.resolve("fast"), "");
        Cli.Scripted yes = new Cli.Scripted("y");
        Cli.Result again = cli(yes, "resume");
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(Cli.lines(log())).containsExactly("before", "slow", "slow", "after");
        RunState s = run.state();
        assertThat(s.status()).isEqualTo(RunState.Status.SUCCEEDED);
        assertThat(s.steps().get("slow").answer().value()).isEqualTo("yes");
        assertThat(s.steps().get("slow").answer().source()).isEqualTo("terminal");
        assertThat(s.resumes()).as("the resume that met the leftover process changed nothing").hasSize(3);
    }

    @Test
    void anInterruptedReadIdempotentOrNowSatisfiedStepRunsAgainWithoutAsking() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: no-questions
                steps:
                  - id: probe
                    mutates: false
                    shell: {script: "echo probe >> %1$s/log; cat %1$s/world"}
                    capture: {world: "${{ result.stdout.trim() }}"}
                  - id: wait-read
                    mutates: false
                    shell: {script: "echo wait-read >> %1$s/log; [ -e %1$s/fast1 ] || { touch %1$s/1.started; exec -a %2$s sleep 120; }"}
                  - id: idem
                    idempotent: true
                    shell: {script: "echo idem >> %1$s/log; [ -e %1$s/fast2 ] || { touch %1$s/2.started; exec -a %2$s sleep 120; }"}
                  - id: apply
                    unless: "steps.probe.outputs.world == 'applied'"
                    shell: {script: "echo apply >> %1$s/log; touch %1$s/3.started; exec -a %2$s sleep 120"}
                  - id: done
                    shell: {script: "echo done >> %1$s/log"}
                """.formatted(dir, marker));
        Files.writeString(dir.resolve("world"), "new\n");
        killDuring(dir.resolve("1.started"), "run", rb.toString());
        String id = theRun().id();
        Cli.reapStepProcesses(id, 0);
        Files.writeString(dir.resolve("fast1"), "");
        killDuring(dir.resolve("2.started"), "resume");
        Cli.reapStepProcesses(id, 0);
        Files.writeString(dir.resolve("fast2"), "");
        killDuring(dir.resolve("3.started"), "resume");
        Cli.reapStepProcesses(id, 0);
        // Meanwhile the change that 'apply' makes was done: its unless holds now.
        Files.writeString(dir.resolve("world"), "applied\n");

        Cli.Result r = cli("resume");
        assertThat(r.code()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("SATISFIED +apply");
        assertThat(Cli.lines(log())).containsExactly(
                "probe", "wait-read",               // killed in wait-read
                "probe", "wait-read", "idem",       // wait-read ran again (a read); killed in idem
                "probe", "wait-read", "idem", "apply", // idem ran again (idempotent); killed in apply
                "probe", "wait-read", "done");      // apply is satisfied now
        assertThat(theRun().state().steps().get("apply").state()).isEqualTo(StepState.SATISFIED);
    }

    @Test
    void aSecondProcessOnAnActiveRunFailsAtOnceWithExit4NamingTheHolder() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: held
                steps:
                  - id: hold
                    shell: {script: "echo hold >> %1$s/log; touch %1$s/held; while [ ! -e %1$s/go ]; do sleep 0.05; done"}
                """.formatted(dir));
        try (Cli.Child first = start("first", "run", rb.toString())) {
            assertThat(Cli.waitFor(dir.resolve("held"), 60)).isTrue();
            RunDir run = theRun();
            try (Cli.Child second = start("second", "resume", run.id())) {
                Cli.Result r = second.await(60);
                assertThat(r.code()).as(r.all()).isEqualTo(4);
                assertThat(r.err()).containsPattern("run " + run.id() + " is in use by another process: pid "
                        + first.process.pid() + " on host " + java.util.regex.Pattern.quote(Who.host())
                        + " \\(runbook run, user [^)]+\\), since [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}Z");
            }
            assertThat(RunLock.holder(run.dir())).get().extracting(RunLock.Holder::pid).isEqualTo(first.process.pid());
            assertThat(run.state().status()).isEqualTo(RunState.Status.RUNNING);
            Files.writeString(dir.resolve("go"), "");
            assertThat(first.await(60).code()).isZero();
            assertThat(Cli.lines(log())).containsExactly("hold");
            assertThat(run.state().status()).isEqualTo(RunState.Status.SUCCEEDED);
        }
    }

    @Test
    void sigtermStopsTheStepsProcessTreeRecordsItInterruptedAndExits130() throws Exception {
        Path rb = Cli.write(dir, "rb.yaml", """
                apiVersion: runbook/v1
                name: signalled
                steps:
                  - id: sprawling
                    shell:
                      script: |
                        echo sprawling >> %1$s/log
                        [ -e %1$s/fast ] && exit 0
                        (exec -a %2$s-background sleep 300) &
                        setsid bash -c 'exec -a %2$s-own-session sleep 300' &
                        touch %1$s/started
                        exec -a %2$s-foreground sleep 300
                  - id: after
                    shell: {script: "echo after >> %1$s/log"}
                """.formatted(dir, marker));
        try (Cli.Child c = start("signalled", "run", rb.toString())) {
            assertThat(Cli.waitFor(dir.resolve("started"), 60)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (survivors().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Assumptions.assumeTrue(!Files.readString(c.err).contains("ignored"), "SIGTERM is ignored here");
            c.signal("TERM");
            Cli.Result r = c.await(60);
            assertThat(r.code()).as(r.all()).isEqualTo(130);
            assertThat(r.err()).contains("runbook: SIGTERM received: stopping the running step");
            assertThat(r.out()).containsPattern("INTERRUPTED +sprawling").contains("Result: INTERRUPTED (exit 130)");
        }
        assertThat(survivors()).as("processes left after SIGTERM").isEmpty();
        RunDir run = theRun();
        JournalContents journal = run.readJournal();
        assertThat(journal.warnings()).isEmpty();
        RunState s = RunState.of(journal, false);
        assertThat(s.status()).isEqualTo(RunState.Status.INTERRUPTED);
        assertThat(s.exitCode()).isEqualTo(130);
        assertThat(s.steps().get("sprawling").state()).isEqualTo(StepState.INTERRUPTED);
        assertThat(s.steps().get("sprawling").endedAt()).as("the end of the step is recorded").isNotNull();
        assertThat(Files.readString(run.report())).contains("**interrupted** (exit 130)");
        assertThat(RunLock.holder(run.dir())).isEmpty();

        Files.writeString(dir.resolve("fast"), "");
        Cli.Result resumed = cli("resume", "--yes");
        assertThat(resumed.code()).as(resumed.all()).isZero();
        assertThat(Cli.lines(log())).containsExactly("sprawling", "sprawling", "after");
    }

    /**
     * A long run is killed with {@code kill -9} at random points, again and again, and resumed
     * after each kill (with {@code --yes}, so that an interrupted step runs again). After every
     * kill the journal reads; in the end every step ran, no step that the journal recorded as
     * done ever ran again, and only a step that was interrupted ran twice.
     *
     * <p>{@code -Drunbook.resume.kills=50 -Drunbook.resume.steps=100} soaks longer.
     */
    @Test
    @Timeout(600)
    void killNineAtRandomPointsAndResumeLosesNoStepAndRepeatsNoCompletedOne() throws Exception {
        int kills = Integer.getInteger("runbook.resume.kills", 10);
        int steps = Integer.getInteger("runbook.resume.steps", 60);
        // Each process runs a few steps at most before its kill, so that every kill finds the run unfinished.
        int window = Math.max(1, steps / kills - 3);
        long seed = Long.getLong("runbook.resume.seed", System.nanoTime());
        Random rnd = new Random(seed);
        StringBuilder yaml = new StringBuilder("apiVersion: runbook/v1\nname: long\nsteps:\n");
        for (int i = 1; i <= steps; i++) {
            yaml.append("  - id: s").append(i).append('\n')
                    .append("    shell: {script: \"echo s").append(i).append(" >> ").append(log()).append("; sleep 0.02\"}\n");
        }
        Path rb = Cli.write(dir, "rb.yaml", yaml.toString());

        Map<String, Long> doneAt = new HashMap<>();        // a step recorded done, and its executions then
        Map<String, Integer> interruptions = new HashMap<>();
        String runId = null;
        int done = 0;
        int killed = 0;
        int unreadable = 0;
        for (int k = 0; k < kills; k++) {
            String[] args = runId == null ? new String[] {"run", rb.toString()} : new String[] {"resume", runId, "--yes"};
            Cli.Child c = start("soak", args);
            // A random point: after 0 to a few more steps have begun, then anywhere in a step's 20 ms.
            long target = Cli.lines(log()).size() + rnd.nextInt(window);
            while (c.process.isAlive() && Cli.lines(log()).size() < target) {
                Thread.sleep(2);
            }
            boolean ended = c.process.waitFor(rnd.nextInt(40), TimeUnit.MILLISECONDS);
            if (ended) {
                Cli.Result r = c.await(10);
                assertThat(r.code()).as(r.all()).isZero();
                done++;
                break;
            }
            c.kill9();
            killed++;
            List<RunDir> begun = RunStore.at(state()).list().stream().filter(d -> Files.exists(d.journal())).toList();
            if (begun.isEmpty()) {
                continue; // killed before its journal began: a new run starts
            }
            runId = begun.get(0).id();
            Cli.reapStepProcesses(runId, 5);
            RunState s;
            try {
                JournalContents contents = begun.get(0).readJournal();
                assertThat(contents.warnings()).as("at most the last record is torn").hasSizeLessThanOrEqualTo(1);
                s = RunState.of(contents, false);
            } catch (JournalException e) {
                unreadable++;
                throw new AssertionError("kill " + killed + " (seed " + seed + "): the journal does not read", e);
            }
            for (RunState.StepRecord st : s.steps().values()) {
                if (st.state() == StepState.SUCCEEDED) {
                    doneAt.putIfAbsent(st.id(), Cli.count(log(), st.id()));
                } else if (st.state() == StepState.INTERRUPTED) {
                    interruptions.merge(st.id(), 1, Integer::sum);
                }
            }
        }
        if (done == 0) {
            Cli.Result last = runId == null ? cli("run", rb.toString()) : cli("resume", runId, "--yes");
            assertThat(last.code()).as(last.all()).isZero();
        }

        RunState end = theRun().state();
        assertThat(end.status()).isEqualTo(RunState.Status.SUCCEEDED);
        int repeats = 0;
        int lost = 0;
        for (int i = 1; i <= steps; i++) {
            String id = "s" + i;
            long n = Cli.count(log(), id);
            String context = "step " + id + " (seed " + seed + ")";
            if (n == 0) {
                lost++;
            }
            assertThat(end.steps().get(id).state()).as(context).isEqualTo(StepState.SUCCEEDED);
            assertThat(n).as(context + " ran").isGreaterThanOrEqualTo(1);
            if (doneAt.containsKey(id)) {
                assertThat(n).as(context + ": recorded done, it never ran again").isEqualTo(doneAt.get(id));
            }
            assertThat(n - 1).as(context + ": ran again only after being interrupted")
                    .isLessThanOrEqualTo(interruptions.getOrDefault(id, 0));
            repeats += (int) (n - 1);
        }
        System.out.printf("resume soak: %d kills, %d resumes, %d steps lost, %d repeats, %d unreadable journals (seed %d)%n",
                killed, end.resumes().size(), lost, repeats, unreadable, seed);
        assertThat(repeats).isLessThanOrEqualTo(killed);
        assertThat(killed).as("the run was long enough to be killed every time").isEqualTo(kills);
    }
}
