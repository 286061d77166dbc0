package dev.runbook.lang.model;

import dev.runbook.expr.Expr;
import dev.runbook.lang.yaml.YNode;
import java.util.List;

/**
 * The one action a step performs. Fields that the author may template are {@link YNode}s,
 * rendered when the step runs; null means "not given".
 */
public sealed interface Action permits Action.Kubectl, Action.Apicup, Action.Shell, Action.Sftp,
        Action.Assert, Action.Prompt, Action.FileOp, Action.Group {

    /** The key that names this action in YAML. */
    String keyword();

    /**
     * The action's type, for exhaustive {@code switch}es (Java 17 has no pattern switch; a
     * switch expression over this enum fails to compile when a type is added and not handled).
     */
    Kind kind();

    /** One constant per record type. */
    enum Kind { KUBECTL, APICUP, SHELL, SFTP, ASSERT, PROMPT, FILE, GROUP }

    /**
     * Kubernetes API call. {@code verb} is one of get, apply, applyFile, patch, delete, logs,
     * exec, export; {@code resource} is the verb's value for get/patch/delete/export.
     */
    record Kubectl(String verb, YNode resource, YNode name, YNode namespace, YNode selector,
                   YNode fieldSelector, YNode manifest, YNode merge, YNode logs, YNode exec,
                   YNode to, YNode strip, String on) implements Action {
        public String keyword() {
            return "kubectl";
        }

        public Kind kind() {
            return Kind.KUBECTL;
        }
    }

    /** The vendor CLI {@code apicup}: each element of {@code args} is one argument. */
    record Apicup(YNode args, YNode projectDir, YNode env, String parse, List<Integer> allowExitCodes)
            implements Action {
        public String keyword() {
            return "apicup";
        }

        public Kind kind() {
            return Kind.APICUP;
        }
    }

    /**
     * A process: {@code command} (argv, no shell) or {@code script} (bash). {@code on} is a target
     * name, or a map {pod, container} for a pod.
     */
    record Shell(YNode command, YNode script, YNode on, YNode env, YNode cwd, YNode stdin, String parse,
                 List<Integer> allowExitCodes) implements Action {
        public String keyword() {
            return "shell";
        }

        public Kind kind() {
            return Kind.SHELL;
        }
    }

    /** SFTP on an ssh target; {@code op} is list, stat, get or put. */
    record Sftp(String on, String op, YNode path, YNode from, YNode to) implements Action {
        public String keyword() {
            return "sftp";
        }

        public Kind kind() {
            return Kind.SFTP;
        }
    }

    /** Every expression in {@code that} must hold. */
    record Assert(List<Expr> that, YNode message) implements Action {
        public String keyword() {
            return "assert";
        }

        public Kind kind() {
            return Kind.ASSERT;
        }
    }

    /** A question for the operator; {@code type} is confirm, input, choice or secret. */
    record Prompt(YNode message, String type, YNode choices, YNode defaultValue, String onDecline)
            implements Action {
        public String keyword() {
            return "prompt";
        }

        public Kind kind() {
            return Kind.PROMPT;
        }
    }

    /** A local file: {@code op} is write or read. */
    record FileOp(String op, YNode path, YNode content, String format, String mode, String parse)
            implements Action {
        public String keyword() {
            return "file";
        }

        public Kind kind() {
            return Kind.FILE;
        }
    }

    /** A titled section of nested steps. */
    record Group(List<Step> steps) implements Action {
        public String keyword() {
            return "group";
        }

        public Kind kind() {
            return Kind.GROUP;
        }
    }
}
