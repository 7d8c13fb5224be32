package dev.rollcall.aggregate;

/**
 * OpenSearch stayed unreachable, or kept answering 429 or 5xx, past the retry deadline ({@code ROLLCALL_JOB_RETRY_FOR}):
 * an expected condition, logged as one {@code failed} line without a stack trace; the job exits 1 and Batch retries it.
 */
final class OpenSearchUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    OpenSearchUnavailableException(String message) {
        super(message);
    }
}
