package dev.runbook.lang.model;

import dev.runbook.lang.Pos;
import dev.runbook.lang.yaml.YNode;

/** A named place where actions run. Field values may be templates and are rendered at run time. */
public sealed interface Target permits Target.Local, Target.Ssh, Target.Kubernetes {
    String name();

    Pos pos();

    /** The target's kind with its article, for messages: "an ssh", "a kubernetes", "the local". */
    static String kindWords(Target t) {
        return switch (t) {
            case Ssh s -> "an ssh";
            case Kubernetes k -> "a kubernetes";
            case Local l -> "the local";
        };
    }

    /** This machine. Always exists under the name {@code local}. */
    record Local(String name, Pos pos) implements Target {
    }

    /**
     * An SSH host; {@code password} should come from a secret param. {@code
     * insecureSkipHostKeyCheck} accepts any host key, with a warning on every run.
     */
    record Ssh(String name, Pos pos, YNode host, YNode port, YNode user, YNode identityFile,
               YNode password, YNode knownHosts, YNode sudo, YNode insecureSkipHostKeyCheck) implements Target {
    }

    /** A Kubernetes API; {@code via} names an ssh target whose host can reach the API. */
    record Kubernetes(String name, Pos pos, YNode kubeconfig, YNode context, YNode namespace, String via)
            implements Target {
    }
}
