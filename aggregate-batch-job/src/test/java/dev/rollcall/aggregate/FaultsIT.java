package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** What a busy or failing OpenSearch does to a run: smaller pages, or a failed run that leaves the watermark alone. */
@RealServers
class FaultsIT {

    @Test
    void rejectedPagesAreRetriedSmallerAndNothingIsLost(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-429");
        fixture.store(JobFixture.randomAlerts(41, 2_000, "2026-06-01T00:00:00Z", 1, 30));
        fixture.run("--from", "2026-06-01", "--to", "2026-06-02");
        Map<String, JsonNode> expected = fixture.rollups();
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(3, 429, path -> path.equals("/_search"));
            RunSummary summary = fixture.run(Instant.now().toString(), List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "ROLLCALL_JOB_PAGE_SIZE", "400"), "--from", "2026-06-01", "--to", "2026-06-02");
            assertThat(summary.rejectedPages()).isEqualTo(3);
            assertThat(summary.eventsRead()).isEqualTo(2_000);
        }
        assertThat(fixture.rollups()).isEqualTo(expected);
    }

    @Test
    void aRunWhoseWritesFailExitsWithOneAndLeavesTheWatermark(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "faults-bulk");
        List<Alert> alerts = JobFixture.randomAlerts(43, 500, "2026-06-10T00:00:00Z", 1, 20);
        fixture.store(alerts.subList(0, 250));
        fixture.run("2026-06-10T12:30:00Z", List.of(), "--incremental");
        JsonNode before = fixture.watermark();
        assertThat(before.path("computed_until").asText()).isEqualTo("2026-06-10T12:00:00Z");
        fixture.store(alerts.subList(250, 500));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 400, path -> path.endsWith("/_bulk"));
            JobFixture.JobExit exit = fixture.exec("2026-06-11T00:30:00Z", List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()), "--incremental");
            assertThat(exit.code()).isEqualTo(AggregationJob.FAILED);
            exit.line("failed");
        }
        assertThat(fixture.lease()).as("a failed run alone releases its lease").isEmpty();
        assertThat(fixture.watermark()).isEqualTo(before);
    }
}
