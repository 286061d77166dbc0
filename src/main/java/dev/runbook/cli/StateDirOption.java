package dev.runbook.cli;

import dev.runbook.engine.ExitCodes;
import dev.runbook.journal.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir DIR}: where runs are kept; shared by run, resume, runs and status. */
public class StateDirOption {
    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where runs are kept (default: $RUNBOOK_STATE_DIR, else ./.runbook).")
    Path stateDir;

    public RunStore store() {
        return RunStore.at(checked(RunStore.locate(checkedOption(stateDir), System.getenv())));
    }

    /**
     * An empty {@code --state-dir ''} (an unset shell variable, typically) would mean the
     * current directory, and runs would be written where nobody looks for them: refused.
     */
    static Path checkedOption(Path option) {
        if (option != null && option.toString().isBlank()) {
            throw new ExitException(ExitCodes.INVALID, "runbook: --state-dir is empty: give a directory, or leave the option out");
        }
        return option;
    }

    /** A state directory that exists must be a directory: "No runs" in a file would be a lie. */
    static Path checked(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ExitException(ExitCodes.INVALID, "runbook: the state directory " + dir + " is not a directory");
        }
        return dir;
    }
}
