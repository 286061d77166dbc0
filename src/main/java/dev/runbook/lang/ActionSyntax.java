package dev.runbook.lang;

import dev.runbook.expr.Expr;
import dev.runbook.lang.model.Action;
import dev.runbook.lang.yaml.YNode;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What the front half of the pipeline (reader, checker, classification) knows of one action
 * type: its keyword, how it is read, which of its fields are templated, what else to check, and
 * whether it reads or changes the world. The rest of an action's description (how a plan shows
 * it, its handler) extends this in {@code dev.runbook.actions.ActionType}, so that this package
 * never depends on the packages that run actions.
 *
 * @param <A> the action's record in the sealed {@link Action}
 */
public interface ActionSyntax<A extends Action> {
    /** The key that names the action in a step. */
    String keyword();

    /** The record type this descriptor reads and describes. */
    Class<A> type();

    /**
     * Reads the action from its value in the step (for most actions a map). Problems that the
     * schema cannot see (exactly one verb, a key that applies to another verb) are reported
     * through {@code r}; returns null when there is nothing to read (the schema reported it).
     */
    A read(ActionReader r);

    /** The fields an author may template: the checker compiles and resolves every {@code ${{ }}} in them. */
    List<YNode> templated(A action);

    /** Fields that are expressions themselves (an assert's {@code that}). */
    default List<Expr> expressions(A action) {
        return List.of();
    }

    /**
     * The fields of the action's {@code result}, so that a typo in {@code capture} or
     * {@code until} ({@code result.stdot}) is a load error; null when any field may come
     * (a Kubernetes object).
     */
    default Set<String> resultFields(A action) {
        return null;
    }

    /** Checks beyond expressions: the targets an action names, for example. */
    default void check(A action, ActionChecks checks) {
    }

    /**
     * Read or mutating (SPEC section 4), before {@code mutates:} overrides it. {@code value}
     * renders one of the action's fields, or gives null when its value is not known (at load
     * time, an expression; in a plan, a value known only at run time): an action whose
     * classification depends on values must then answer for the worst case.
     */
    Effect effect(A action, Function<YNode, Object> value);

    /** Casts a model action to this descriptor's type (the registry hands out the matching descriptor). */
    default A cast(Action a) {
        return type().cast(a);
    }

    // Callers hold an action of the sealed type, not of A: these take it as such.

    default List<YNode> templatedOf(Action a) {
        return templated(cast(a));
    }

    default List<Expr> expressionsOf(Action a) {
        return expressions(cast(a));
    }

    default Set<String> resultFieldsOf(Action a) {
        return resultFields(cast(a));
    }

    default void checkOf(Action a, ActionChecks checks) {
        check(cast(a), checks);
    }

    default Effect effectOf(Action a, Function<YNode, Object> value) {
        return effect(cast(a), value);
    }
}
