package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.ItemOutcome;
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
}
