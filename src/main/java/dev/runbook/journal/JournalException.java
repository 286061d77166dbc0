package dev.runbook.journal;

/**
 * A journal that cannot be read or written, with a message for a person: which file, which
 * line, what is wrong and what it means for the run. The CLI prints it and exits 2.
 */
public class JournalException extends RuntimeException {
    public JournalException(String message) {
        super(message);
    }

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
