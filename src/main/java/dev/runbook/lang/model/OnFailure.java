package dev.runbook.lang.model;

/** What a failed step does to the run. */
public enum OnFailure { ABORT, CONTINUE }
