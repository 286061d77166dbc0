package dev.runbook.lang;

import dev.runbook.expr.Expr;
import dev.runbook.lang.Keys.Section;
import dev.runbook.lang.model.Step;
import dev.runbook.lang.yaml.YMap;
import dev.runbook.lang.yaml.YNode;
import java.util.List;

/**
 * What an action's descriptor reads its action from: the step's id, the action's value, and
 * the reader's shared ways of reading argv lists, exit codes, expressions and nested steps,
 * each reporting its problems at the right line and column.
 */
public final class ActionReader {
    private final ModelReader reader;
    private final Problems problems;
    private final String id;
    private final String keyword;
    private final Section step;

    ActionReader(ModelReader reader, Problems problems, String id, String keyword, Section step) {
        this.reader = reader;
        this.problems = problems;
        this.id = id;
        this.keyword = keyword;
        this.step = step;
    }

    /** The step's id, for messages. */
    public String id() {
        return id;
    }

    /** The action's value as written (a map for most actions, a list for a group). */
    public YNode value() {
        return step.get(keyword);
    }

    /** The action's map read through its declared keys ({@link Keys}), or null when it is not a map. */
    public Section map() {
        return value() instanceof YMap m ? new Section(keyword, m) : null;
    }

    /** Where the action's key stands in the step. */
    public Pos at() {
        return step.keyPos(keyword);
    }

    public void error(Pos at, String message, String... hints) {
        problems.error(at, message, hints);
    }

    /** An argv list ({@code command}, {@code args}): a plain string is an error, as nothing splits it. */
    public void argv(YNode n, String what, String example) {
        reader.argv(n, what, example);
    }

    /** {@code allowExitCodes} of the action's map. */
    public List<Integer> exitCodes(Section m) {
        return reader.exitCodes(m);
    }

    /** An expression field (CEL with or without {@code ${{ }}}). */
    public Expr expression(YNode n, String field) {
        return reader.expression(n, field);
    }

    /** Nested steps (a group's), in the group named by this step's id. */
    public List<Step> steps(YNode n) {
        return reader.steps(n, id);
    }
}
