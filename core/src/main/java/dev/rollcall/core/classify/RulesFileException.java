package dev.rollcall.core.classify;

/** A rules file that cannot be used; the message names the file, the rule (its id or position) and what is wrong. */
public final class RulesFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RulesFileException(String message) {
        super(message);
    }

    RulesFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
