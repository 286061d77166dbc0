package dev.runbook.cli;

import dev.runbook.lang.ParamBinder;
import dev.runbook.lang.model.Runbook;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --set NAME=VALUE} and {@code --params FILE}, shared by plan, run and resume. */
public class ParamsOptions {
    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Set a param (repeatable); coerced to its declared type.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--params", paramLabel = "FILE", description = "A YAML map of param values; --set wins over it.")
    Path paramsFile;

    public Map<String, Object> bind(Runbook rb) {
        return ParamBinder.bind(rb, sets, paramsFile);
    }

    /** As {@link #bind(Runbook)}, a relative {@code --params} FILE in {@code host}'s working directory. */
    Map<String, Object> bind(Runbook rb, Host host) {
        return ParamBinder.bind(rb, sets, host.resolve(paramsFile));
    }

    /** For a resume: the run's recorded params, plus the secret ones given again. */
    public Map<String, Object> bindResumed(Runbook rb, Map<String, Object> recorded) {
        return ParamBinder.bindResumed(rb, recorded, sets, paramsFile);
    }
}
