package dev.runbook.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runbook.engine.Answer;
import dev.runbook.engine.RunOutcome;
import dev.runbook.engine.StepState;
import dev.runbook.lang.model.Runbook;
import dev.runbook.secrets.Redactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    static final Instant T0 = Instant.parse("2026-11-23T03:15:00Z");

    @TempDir
    Path tmp;

    /** A dry run: prompts shown not asked, reads run, mutating steps recorded would-run. */
    static RunDir dryRun(Path state) {
        Runbook rb = Fixtures.runbook();
        RunDir dir = RunStore.at(state).create(rb.name(), T0);
        Redactor redactor = new Redactor();
        redactor.add(Fixtures.SECRET);
        JournalListener l = JournalListener.newRun(dir, rb, null, redactor);
        var info = Fixtures.info(dir.id(), true, T0);
        l.runStarted(info);
        Fixtures.Player p = new Fixtures.Player(l, rb, T0);
        p.finish("traffic-stopped", StepState.SUCCEEDED, Map.of("value", true), null, new Answer("yes", "alice", T0, "--yes"), null);
        p.finish("token", StepState.SUCCEEDED, Map.of(), null, new Answer(Fixtures.SECRET, "alice", T0, "--answer"), null);
        p.ok("pods", Map.of("names", List.of("cassandra-0", "cassandra-1")));
        p.finish("creds", StepState.WOULD_RUN, Map.of(), null, null, List.of("cat", "/etc/creds"));
        p.finish("section", StepState.SUCCEEDED, Map.of(), null, null, null);
        p.finish("restore", StepState.WOULD_RUN, Map.of(), null, null,
                List.of("apicup", "subsys", "exec", "mgmt", "restore", "123", "it's | odd"));
        p.finish("verify", StepState.FAILED, Map.of(), "assertion failed: size(steps.pods.outputs.names) > 0 | was false\nvalues: names=[]",
                null, null);
        l.runFinished(info, new RunOutcome("failed", 1, "1 step failed"));
        return dir;
    }

    @Test
    void aDryRunReportHasTheRunTheParamsTheStepsTheAnswersTheErrorsAndWhatWouldHaveRun() throws IOException {
        RunDir dir = dryRun(tmp.resolve("state"));
        String md = Files.readString(dir.report());
        assertThat(md).startsWith("# Run report: Restore the demo database\n");
        assertThat(md).contains("| Run | `" + dir.id() + "` |")
                .contains("| Result | **failed** (exit 1) at step `verify` |")
                .contains("| Mode | dry run: read steps ran for real, mutating steps did not run |")
                .contains("| Started | 2026-11-23 03:15:00Z by alice on host-a |")
                .contains("| `namespace` | `apic` |")
                .contains("Secret params are not recorded.");
        assertThat(md).contains("| 1 | `traffic-stopped` Stop traffic | succeeded | 1 | 03:15:00Z | 1s |")
                .contains("| 6 | &nbsp;&nbsp;`restore` | would-run | 1 | 03:15:05Z | 1s |")
                .contains("| 7 | &nbsp;&nbsp;`verify` | **failed** |");
        assertThat(md).contains("| `traffic-stopped` | `yes` | alice | 2026-11-23 03:15:00Z | --yes |")
                .contains("| `token` | `***` | alice |");
        assertThat(md).contains("- `verify` (failed):\n  ```\n  assertion failed: size(steps.pods.outputs.names) > 0 | was false\n  values: names=[]\n  ```");
        assertThat(md).contains("### `restore`\n\n```\napicup subsys exec mgmt restore 123 'it'\\''s | odd'\n```")
                .contains("### `creds`\n\n```\ncat /etc/creds\n```");
        assertThat(md).contains("- `pods`: `{\"names\":[\"cassandra-0\",\"cassandra-1\"]}`");
        assertThat(md).doesNotContain(Fixtures.SECRET);
    }

    @Test
    void anInterruptedRunsReportSaysSoAndListsWhatIsLeft() {
        Runbook rb = Fixtures.runbook();
        RunDir dir = RunStore.at(tmp.resolve("state")).create(rb.name(), T0);
        JournalListener l = JournalListener.newRun(dir, rb, "pods", null);
        l.runStarted(Fixtures.info(dir.id(), false, T0));
        Fixtures.Player p = new Fixtures.Player(l, rb, T0);
        p.start("pods");
        String md = Report.markdown(dir.state());
        assertThat(md).contains("| Result | **interrupted** at step `pods` |")
                .containsPattern("\\| Last record \\| \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ \\(the run has no end record\\) \\|")
                .contains("| Started at step | `pods` (`--from`: earlier steps skipped) |")
                .contains("| 3 | `pods` | **interrupted** |")
                .contains("| 4 | `creds` | pending |")
                .contains("- `pods` (interrupted): interrupted: the step was running when the run stopped")
                .doesNotContain("## Would run");
    }

    @Test
    void tableCellsSurvivePipesBackticksAndNewlines() {
        assertThat(Report.code("a|b")).isEqualTo("`a\\|b`");
        assertThat(Report.code("x `y` z")).isEqualTo("``x `y` z``");
        assertThat(Report.code("`edge`")).isEqualTo("`` `edge` ``");
        assertThat(Report.code("two\nlines")).isEqualTo("`two ⏎ lines`");
        assertThat(Report.wouldRunText(Map.of("apply", Map.of("kind", "ConfigMap")))).isEqualTo("apply:\n  kind: ConfigMap");
        assertThat(Report.wouldRunText("line 1\nline 2\n")).isEqualTo("line 1\nline 2\n");
    }
}
