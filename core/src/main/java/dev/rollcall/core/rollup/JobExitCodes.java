package dev.rollcall.core.rollup;

/**
 * The aggregation job's exit codes, by which the stack's Batch retry strategy and local mode's job runner decide
 * whether a failed attempt is tried again, and how many attempts that strategy makes by default: defined here so that
 * the job, the stack and local mode agree.
 */
public final class JobExitCodes {

    /**
     * Attempts of a job (each array child on its own) that keeps failing with a retried exit code: the stack's default
     * ({@code jobRetryAttempts}), and local mode's.
     */
    public static final int DEFAULT_ATTEMPTS = 3;

    /** The run completed (or had nothing to do). */
    public static final int OK = 0;
    /** Anything else: OpenSearch unavailable past the retry deadline, a lost lease, a bug. Retried. */
    public static final int FAILED = 1;
    /** Bad arguments or configuration, named in the message: retrying cannot help. */
    public static final int BAD_USAGE = 2;
    /**
     * The JVM's own exit when the heap runs out (the image runs it with {@code -XX:+ExitOnOutOfMemoryError}): the same
     * window would run out the same way, so it is not retried.
     */
    public static final int OUT_OF_MEMORY = 3;

    private JobExitCodes() {
    }
}
