package dev.rollcall.aggregate;

/** A bad argument or environment variable: the job exits with 2 and this message, which names it; no stack trace. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
