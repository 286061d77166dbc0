package dev.runbook.runbooktest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One runbook test: the {@code test:} section of a sandbox folder's {@code sandbox.yaml}.
 *
 * @param name    the folder's path as found under the paths given: how the test is named everywhere
 * @param folder  the sandbox folder (also the run's {@code --sandbox})
 * @param runbook the runbook, resolved against the folder
 * @param params  written to a params file; values as YAML read them
 * @param set     given as {@code --set NAME=VALUE} (secret params belong here)
 * @param answers given as {@code --answer ID=VALUE}
 * @param workdir a folder of the test copied as the initial working directory, or null (empty)
 */
public record TestSpec(String name, Path folder, Path runbook, Map<String, Object> params, Map<String, String> set,
                       Map<String, String> answers, boolean yes, boolean dryRun, Path workdir, Expect expect) {

    /** The same test with another runbook under test ({@code runbook test FILE DIR}). */
    public TestSpec withRunbook(Path other) {
        return new TestSpec(name, folder, other, params, set, answers, yes, dryRun, workdir, expect);
    }

    /** What the run must end with; a null or empty field is not checked. */
    public record Expect(Integer exit, String failedStep, String message, Map<String, String> states,
                         List<ClusterExpect> cluster, List<FileExpect> files, Integer writes) {
    }

    /**
     * Objects of the simulated cluster at the end. {@code name} may be a glob; every object that
     * matches must hold {@code path == equals}; {@code absent} means none may match.
     */
    public record ClusterExpect(String kind, String name, String namespace, String path, Object equals,
                                boolean absent) {
        public String describe() {
            return kind + " " + (namespace == null ? "" : namespace + "/") + name;
        }
    }

    /** A file the run left in its working directory. */
    public record FileExpect(String path, boolean absent, String mode, List<String> contains, List<String> lacks) {
    }
}
