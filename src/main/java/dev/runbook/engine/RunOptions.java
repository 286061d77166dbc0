package dev.runbook.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run: everything the command line decides. Build with {@link #builder()}.
 *
 * @param dryRun   rehearse: reads run, mutating steps are recorded would-run, prompts are shown
 * @param answers  prompt answers given up front
 * @param color    the console may use ANSI colour
 * @param apicup   the apicup executable from {@code --apicup}, or null
 * @param stateDir where runs are recorded (created only when something is written there)
 * @param runId    the run's id; null: a new one is made
 * @param terminal where prompts are asked
 * @param env      the environment that expressions read as {@code env}, and where {@code $APICUP} and PATH
 *                 are looked up (processes inherit this process's own environment)
 * @param world    the simulated world of a sandbox run (SPEC 6.1), or null for a real run
 * @param workDir  the run's working directory, absolute: every local relative path of the run (files, a
 *                 process's default and relative cwd, sftp's local side, kubectl's manifest files) resolves
 *                 against it, never against this process's current directory, so that several runs in one
 *                 process (runbook test) each have their own
 */
public record RunOptions(boolean dryRun, Answers answers, boolean color, String apicup, Path stateDir, String runId,
                         Terminal terminal, Map<String, String> env, SimulatedWorld world, Path workDir) {
    public RunOptions {
        workDir = workDir == null ? Path.of("").toAbsolutePath() : workDir.toAbsolutePath().normalize();
    }

    /** {@code path} (as a run's step wrote it) against the run's working directory; an absolute path stays as it is. */
    public Path local(String path) {
        return workDir.resolve(path);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: a real run, no answers, no colour, no terminal, this process's environment and current directory. */
    public static final class Builder {
        private boolean dryRun;
        private Answers answers = Answers.none();
        private boolean color;
        private String apicup;
        private Path stateDir = Path.of(".runbook");
        private String runId;
        private Terminal terminal = Terminal.none();
        private Map<String, String> env = System.getenv();
        private SimulatedWorld world;
        private Path workDir;

        public Builder dryRun(boolean v) {
            dryRun = v;
            return this;
        }

        public Builder answers(Answers v) {
            answers = v;
            return this;
        }

        public Builder color(boolean v) {
            color = v;
            return this;
        }

        public Builder apicup(String v) {
            apicup = v;
            return this;
        }

        public Builder stateDir(Path v) {
            stateDir = v;
            return this;
        }

        public Builder runId(String v) {
            runId = v;
            return this;
        }

        public Builder terminal(Terminal v) {
            terminal = v;
            return this;
        }

        public Builder env(Map<String, String> v) {
            env = v;
            return this;
        }

        /** The simulated world to act on instead of the real targets; null: a real run. */
        public Builder world(SimulatedWorld v) {
            world = v;
            return this;
        }

        /** The run's working directory; null (the default): this process's current directory. */
        public Builder workDir(Path v) {
            workDir = v;
            return this;
        }

        public RunOptions build() {
            return new RunOptions(dryRun, answers, color, apicup, stateDir, runId, terminal, env, world, workDir);
        }
    }
}
