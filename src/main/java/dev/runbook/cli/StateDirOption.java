package dev.runbook.cli;

import dev.runbook.journal.RunStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir DIR}: where runs are kept; shared by run, resume, runs and status. */
public class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs are kept (default: $RUNBOOK_STATE_DIR, else ./.runbook).")
    Path stateDir;

    public RunStore store() {
        return RunStore.at(RunStore.locate(stateDir, System.getenv()));
    }
}
