package dev.runbook.engine;

/** Makes the handler of one action type: every action type's descriptor is one. */
public interface HandlerFactory {
    /** A new handler for one run; called when the first step of its type runs. */
    ActionHandler newHandler();
}
