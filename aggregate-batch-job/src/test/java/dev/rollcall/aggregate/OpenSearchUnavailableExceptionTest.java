package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.ItemOutcome;
import dev.rollcall.core.store.OpenSearchRefusedException;
import dev.rollcall.core.store.ItemOutcome.Status;

/** Which failed bulk writes count as a busy or unreachable OpenSearch, reported without a stack trace. */
class OpenSearchUnavailableExceptionTest {

    private static ItemOutcome item(Status status, String reason) {
        return new ItemOutcome("id", status, reason);
    }

    @Test
    void onlyItemsAllLeftForRetryByABusyDomainAreBusy() {
        ItemOutcome busy = item(Status.RETRY_LATER, "OpenSearch answered 429 to _bulk");
        ItemOutcome unreachable = item(Status.RETRY_LATER, "OpenSearch unreachable: ConnectException");
        ItemOutcome refused = item(Status.RETRY_LATER, BulkIndexer.ACCESS_REFUSED + " with 403: check the role mapping");
        ItemOutcome rejected = item(Status.REJECTED, "mapper_parsing_exception");

        assertThat(OpenSearchUnavailableException.busy(List.of(busy, unreachable))).isTrue();
        // Whichever comes first: a document OpenSearch refused for itself is the job's to report.
        assertThat(OpenSearchUnavailableException.busy(List.of(busy, rejected))).isFalse();
        assertThat(OpenSearchUnavailableException.busy(List.of(rejected, busy))).isFalse();
        // Refused access is the deployment's to fix: retrying longer would not help.
        assertThat(OpenSearchUnavailableException.busy(List.of(refused))).isFalse();
        assertThat(OpenSearchUnavailableException.busy(List.of())).isFalse();
    }

    /** A failed write fails the run as the domain refusing, as the domain busy, or as a fault of the job's own. */
    @Test
    void failedWritesFailTheRunByWhatStoppedThem() {
        ItemOutcome busy = item(Status.RETRY_LATER, "OpenSearch answered 429 to _bulk");
        ItemOutcome refused = item(Status.RETRY_LATER, BulkIndexer.ACCESS_REFUSED + " with 403: check the role mapping");
        ItemOutcome blocked = item(Status.RETRY_LATER, BulkIndexer.WRITES_BLOCKED + ": index [r] blocked by: [FORBIDDEN/8/index write (api)];");
        ItemOutcome rejected = item(Status.REJECTED, "mapper_parsing_exception");
        Duration retried = Duration.ofMinutes(5);

        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(busy), retried))
                .isInstanceOf(OpenSearchUnavailableException.class).hasMessage("w (OpenSearch stayed busy or unreachable for PT5M)");
        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(busy, refused), retried))
                .isInstanceOf(OpenSearchRefusedException.class).hasMessageContaining("role mapping")
                .satisfies(e -> assertThat(((OpenSearchRefusedException) e).status()).isEqualTo(403));
        ItemOutcome unauthenticated = item(Status.RETRY_LATER, BulkIndexer.ACCESS_REFUSED + " with 401: check the credentials");
        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(unauthenticated), retried))
                .satisfies(e -> assertThat(((OpenSearchRefusedException) e).status()).isEqualTo(401));
        // A write block is no busy domain, and no role mapping to fix: the message says which.
        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(blocked), retried))
                .isInstanceOf(OpenSearchRefusedException.class).hasMessageContaining("blocks writes")
                .hasMessageContaining("OpenSearchWritesBlocked").hasMessageNotContaining("role mapping")
                .hasMessageNotContaining("stayed busy");
        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(rejected, busy), retried))
                .isExactlyInstanceOf(IllegalStateException.class);
        // Never retried, and no busy domain: the deployment's auto_create_index setting is to fix.
        ItemOutcome notCreated = item(Status.RETRY_LATER, BulkIndexer.INDEX_NOT_CREATED + ": index_not_found_exception");
        assertThat(OpenSearchUnavailableException.ofFailedWrites("w", List.of(notCreated), retried))
                .isInstanceOfSatisfying(OpenSearchRefusedException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessageNotContaining("stayed busy");
    }
}
