package dev.runbook.engine;

import java.util.List;

/**
 * One thing a real run needs, checked by a dry run before its first step: an executable on
 * PATH, an action this build can run, later a reachable cluster or ssh host.
 *
 * @param what   what is needed, e.g. "executable apicup"
 * @param ok     whether it is there
 * @param detail where it was found, or what is wrong and how to fix it
 * @param steps  the ids of the steps that need it
 */
public record Requirement(String what, boolean ok, String detail, List<String> steps) {
    public Requirement {
        steps = List.copyOf(steps);
    }
}
