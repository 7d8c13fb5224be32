package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.aggregate.JobFixture.JobExit;
import dev.rollcall.core.rollup.JobDoneLine;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** A dry run computes everything a run would and writes nothing: no index, rollup, snapshot, plan, lease or watermark. */
@RealServers
class DryRunIT {

    @Test
    void aDryRunOnAFreshPrefixLeavesNoRollupsAndNoState(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "dryrun-fresh");
        fixture.store(JobFixture.randomAlerts(101, 1_500, "2026-09-01T00:00:00Z", 2, 20));
        Set<String> eventIndicesOnly = fixture.indices();

        // Batch job ids, so that a dry run storing its plan or its lease would store them under these.
        JobExit window = fixture.exec("2026-09-03T05:00:00Z", List.of("AWS_BATCH_JOB_ID", "dry-window"),
                "--from", "2026-09-01", "--to", "2026-09-03", "--dry-run");
        JobExit incremental = fixture.exec("2026-09-03T05:20:00Z", List.of("AWS_BATCH_JOB_ID", "dry-incremental"), "--incremental", "--dry-run");

        for (JobExit run : List.of(window, incremental)) {
            assertThat(run.code()).isEqualTo(AggregationJob.OK);
            assertComputedRollups(run.line(JobDoneLine.DONE));
        }
        assertThat(fixture.indices()).as("no state or rollup index created").isEqualTo(eventIndicesOnly);
        assertThat(fixture.rollupAndStateDocuments()).isEmpty();
        assertThat(fixture.storedWatermark()).isEmpty();
        assertThat(fixture.lease()).isEmpty();
    }

    @Test
    void aDryRunOverStoredRollupsAndStateChangesNoDocument(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "dryrun-stored");
        fixture.store(JobFixture.randomAlerts(103, 1_500, "2026-09-01T00:00:00Z", 2, 20));
        assertThat(fixture.exec("2026-09-02T12:20:00Z", List.of("AWS_BATCH_JOB_ID", "real-1"), "--incremental").code()).isZero();
        // More events, before and after the watermark: a real run now would rewrite rollups, snapshots, the watermark
        // and the change token.
        fixture.store(JobFixture.randomAlerts(107, 300, "2026-09-02T10:00:00Z", 1, 20));
        Set<String> indices = fixture.indices();
        Map<String, JsonNode> documents = fixture.rollupAndStateDocuments();
        assertThat(documents).as("rollups, snapshots, watermark and change token of the real run").isNotEmpty();

        JobExit incremental = fixture.exec("2026-09-03T05:20:00Z", List.of("AWS_BATCH_JOB_ID", "dry-incremental"), "--incremental", "--dry-run");
        JobExit window = fixture.exec("2026-09-03T05:30:00Z", List.of("AWS_BATCH_JOB_ID", "dry-window"),
                "--from", "2026-09-01", "--to", "2026-09-03", "--dry-run");

        for (JobExit run : List.of(incremental, window)) {
            assertThat(run.code()).isEqualTo(AggregationJob.OK);
            assertComputedRollups(run.line(JobDoneLine.DONE));
        }
        assertThat(fixture.indices()).isEqualTo(indices);
        assertThat(fixture.rollupAndStateDocuments()).as("every document as it was, to its sequence number").isEqualTo(documents);

        // The same run for real changes them: the dry runs above had something to write.
        assertThat(fixture.exec("2026-09-03T05:40:00Z", List.of("AWS_BATCH_JOB_ID", "real-2"), "--incremental").code()).isZero();
        assertThat(fixture.rollupAndStateDocuments()).isNotEqualTo(documents);
        assertThat(fixture.rollupsWrittenBy("real-2")).isPositive();
    }

    /** The run computed rollups of every interval and says it was a dry run: writing nothing was not for want of work. */
    private static void assertComputedRollups(JsonNode done) {
        assertThat(done.path(JobDoneLine.DRY_RUN).asBoolean()).isTrue();
        assertThat(done.path(JobDoneLine.WATERMARK_MOVED).asBoolean()).isFalse();
        assertThat(done.path("rollups_hour").asLong()).isPositive();
        assertThat(done.path("rollups_day").asLong()).isPositive();
        assertThat(done.path("rollups_month").asLong()).isPositive();
    }
}
