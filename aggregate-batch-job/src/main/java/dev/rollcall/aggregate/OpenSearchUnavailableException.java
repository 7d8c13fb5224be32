package dev.rollcall.aggregate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.OpenSearchRefusedException;
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
        return !failed.isEmpty() && failed.stream().allMatch(o -> o.status() == ItemOutcome.Status.RETRY_LATER && !refused(o));
    }

    /**
     * Refused access, a write block or an index OpenSearch will not create: the deployment's to fix, which retrying
     * within the run does not change.
     */
    private static boolean refused(ItemOutcome outcome) {
        return outcome.reason() != null && (outcome.reason().startsWith(BulkIndexer.ACCESS_REFUSED)
                || outcome.reason().startsWith(BulkIndexer.WRITES_BLOCKED) || outcome.reason().startsWith(BulkIndexer.INDEX_NOT_CREATED));
    }

    /**
     * What a bulk write whose {@code failed} items were not written fails the run with: refused access or a write
     * block is OpenSearch refusing (reason {@code opensearch_refused}), items OpenSearch kept asking to retry until
     * {@code retriedFor} ran out are this (reason {@code opensearch_unavailable}), anything else a fault of the job.
     */
    static RuntimeException ofFailedWrites(String message, List<ItemOutcome> failed, Duration retriedFor) {
        Optional<ItemOutcome> refusal = failed.stream().filter(OpenSearchUnavailableException::refused).findFirst();
        if (refusal.isPresent()) {
            String reason = refusal.get().reason();
            // _bulk refuses access with 401 or 403 (the reason names which) and blocks writes with 403; an index it
            // will not create is a 404.
            int status = reason.startsWith(BulkIndexer.INDEX_NOT_CREATED) ? 404 : reason.contains(" with 401") ? 401 : 403;
            return OpenSearchRefusedException.of(message, status, reason);
        }
        if (busy(failed)) {
            return new OpenSearchUnavailableException(message + " (OpenSearch stayed busy or unreachable for " + retriedFor + ")");
        }
        return new IllegalStateException(message);
    }

    OpenSearchUnavailableException(String message) {
        super(message);
    }
}
