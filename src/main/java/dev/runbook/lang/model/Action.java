package dev.runbook.lang.model;

import dev.runbook.expr.Expr;
import dev.runbook.lang.yaml.YNode;
import java.util.List;

/**
 * The one action a step performs. Fields that the author may template are {@link YNode}s,
 * rendered when the step runs; null means "not given". Each record's descriptor (how it is
 * read, checked, classified, planned and run) is an {@code ActionType} in the registry
 * {@code dev.runbook.actions.ActionTypes}, whose exhaustive switch names every record.
 */
public sealed interface Action permits Action.Kubectl, Action.Apicup, Action.Shell, Action.Sftp,
        Action.Assert, Action.Prompt, Action.FileOp, Action.Group {

    /** The key that names this action in YAML. */
    String keyword();

    /**
     * Kubernetes API call. {@code verb} is one of get, apply, applyFile, patch, delete, logs,
     * exec, export; {@code resource} is the verb's value for get/patch/delete/export.
     * {@code allowExitCodes}: exec's non-zero exit codes that do not fail the step.
     */
    record Kubectl(String verb, YNode resource, YNode name, YNode namespace, YNode selector,
                   YNode fieldSelector, YNode manifest, YNode merge, YNode logs, YNode exec,
                   YNode to, YNode strip, List<Integer> allowExitCodes, String on) implements Action {
        public String keyword() {
            return "kubectl";
        }
    }

    /** The vendor CLI {@code apicup}: each element of {@code args} is one argument. */
    record Apicup(YNode args, YNode projectDir, YNode env, String parse, List<Integer> allowExitCodes)
            implements Action {
        public String keyword() {
            return "apicup";
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
    }

    /** SFTP on an ssh target; {@code op} is list, stat, get or put. */
    record Sftp(String on, String op, YNode path, YNode from, YNode to) implements Action {
        public String keyword() {
            return "sftp";
        }
    }

    /** Every expression in {@code that} must hold. */
    record Assert(List<Expr> that, YNode message) implements Action {
        public String keyword() {
            return "assert";
        }
    }

    /** A question for the operator; {@code type} is confirm, input, choice or secret. */
    record Prompt(YNode message, String type, YNode choices, YNode defaultValue, String onDecline)
            implements Action {
        public String keyword() {
            return "prompt";
        }
    }

    /** A local file: {@code op} is write or read. */
    record FileOp(String op, YNode path, YNode content, String format, String mode, String parse)
            implements Action {
        public String keyword() {
            return "file";
        }
    }

    /** A titled section of nested steps. */
    record Group(List<Step> steps) implements Action {
        public String keyword() {
            return "group";
        }
    }
}
