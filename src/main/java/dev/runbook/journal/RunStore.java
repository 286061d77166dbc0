package dev.runbook.journal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state directory: {@code STATE/runs/RUN-ID/} per run. STATE is {@code --state-dir}, else
 * {@code $RUNBOOK_STATE_DIR}, else {@code ./.runbook}.
 */
public final class RunStore {
    public static final String ENV = "RUNBOOK_STATE_DIR";
    public static final Path DEFAULT = Path.of(".runbook");

    private final Path root;

    private RunStore(Path root) {
        this.root = root;
    }

    public static RunStore at(Path root) {
        return new RunStore(root);
    }

    /** The state directory for a command line option (may be null) and an environment. */
    public static Path locate(Path option, Map<String, String> env) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return DEFAULT;
    }

    public Path root() {
        return root;
    }

    public Path runsDir() {
        return root.resolve("runs");
    }

    /** Makes the directory of a new run with a fresh id. */
    public RunDir create(String runbookName, Instant startedAt) {
        Path runs = runsDir();
        try {
            Files.createDirectories(runs);
        } catch (IOException e) {
            throw new JournalException("cannot create the state directory " + runs + ": " + Journal.reason(e), e);
        }
        for (int tries = 0; ; tries++) {
            String id = RunIds.next(runbookName, startedAt);
            Path dir = runs.resolve(id);
            try {
                Files.createDirectory(dir);
                Durable.syncDirectory(runs);
                return new RunDir(id, dir);
            } catch (FileAlreadyExistsException e) {
                if (tries > 100) {
                    throw new JournalException("cannot find a free run id in " + runs);
                }
            } catch (IOException e) {
                throw new JournalException("cannot create the run directory " + dir + ": " + Journal.reason(e), e);
            }
        }
    }

    /** Every run, oldest first (by id: start time to the second, then the random part). */
    public List<RunDir> list() {
        Path runs = runsDir();
        List<RunDir> out = new ArrayList<>();
        if (!Files.isDirectory(runs)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(runs)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (RunIds.isValid(name) && Files.isDirectory(p)) {
                    out.add(new RunDir(name, p));
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new JournalException("cannot list the runs in " + runs + ": " + Journal.reason(e), e);
        }
        out.sort(Comparator.comparing(RunDir::id));
        return out;
    }

    /**
     * The run with this id, or the only run whose id starts with it (ids are long to type).
     * An unknown or ambiguous id is a {@link NoSuchRunException} saying which.
     */
    public RunDir find(String idOrPrefix) {
        List<RunDir> all = list();
        List<RunDir> matches = new ArrayList<>();
        for (RunDir d : all) {
            if (d.id().equals(idOrPrefix)) {
                return d;
            }
            if (!idOrPrefix.isEmpty() && d.id().startsWith(idOrPrefix)) {
                matches.add(d);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new NoSuchRunException("no run '" + idOrPrefix + "' in " + runsDir() + " (see 'runbook runs')");
        }
        StringBuilder sb = new StringBuilder("'" + idOrPrefix + "' matches " + matches.size() + " runs; give more of the id:");
        for (RunDir d : matches) {
            sb.append("\n  ").append(d.id());
        }
        throw new NoSuchRunException(sb.toString());
    }

    /**
     * The run that started last. Ids order runs to the second; runs started within the same
     * second are told apart by the start time in their journals.
     */
    public Optional<RunDir> latest() {
        List<RunDir> all = list();
        if (all.isEmpty()) {
            return Optional.empty();
        }
        // A directory without a journal is a run whose process stopped before it began (or
        // one starting now): not what "the latest run" means while there is another.
        List<RunDir> begun = new ArrayList<>();
        for (RunDir d : all) {
            if (Files.exists(d.journal())) {
                begun.add(d);
            }
        }
        if (!begun.isEmpty()) {
            all = begun;
        }
        String stamp = all.get(all.size() - 1).id().substring(0, 15);
        RunDir best = null;
        Instant bestAt = null;
        for (RunDir d : all) {
            if (!d.id().startsWith(stamp)) {
                continue;
            }
            Instant at = d.startedAt().orElse(Instant.MIN);
            if (best == null || at.compareTo(bestAt) >= 0) {
                best = d;
                bestAt = at;
            }
        }
        return Optional.of(best);
    }

    /** An id that names no run, or more than one. */
    public static final class NoSuchRunException extends JournalException {
        public NoSuchRunException(String message) {
            super(message);
        }
    }
}
