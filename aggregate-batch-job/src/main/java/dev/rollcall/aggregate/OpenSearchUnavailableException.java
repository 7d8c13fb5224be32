package dev.rollcall.aggregate;

import java.util.List;

import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.ItemOutcome;

/**
 * OpenSearch stayed unreachable, or kept answering 429 or 5xx, past the retry deadline ({@code ROLLCALL_JOB_RETRY_FOR}):
 * an expected condition, logged as one {@code failed} line without a stack trace; the job exits 1 and Batch retries it.
 */
final class OpenSearchUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Whether the failed items of a bulk write failed because OpenSearch stayed busy or unreachable past the deadline:
     * every one left to retry, none for refused access (the deployment's to fix) and none rejected for itself.
     */
    static boolean busy(List<ItemOutcome> failed) {
        return !failed.isEmpty() && failed.stream().allMatch(o -> o.status() == ItemOutcome.Status.RETRY_LATER
                && (o.reason() == null || !o.reason().startsWith(BulkIndexer.ACCESS_REFUSED)));
    }

    OpenSearchUnavailableException(String message) {
        super(message);
    }
}
