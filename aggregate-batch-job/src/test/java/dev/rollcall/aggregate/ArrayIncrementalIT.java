package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.aggregate.JobFixture.ArrayChild;
import dev.rollcall.aggregate.WatermarkStore.Watermark;
import dev.rollcall.core.alert.Alert;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Incremental array jobs: the watermark moves only when the last child of a run is done, whatever order the children
 * run in and however long a failed child takes to be retried, and after every run the children's rollups together
 * equal one process's incremental run over the same events.
 */
@RealServers
class ArrayIncrementalIT {

    static final int SIZE = 3;

    // Three hourly schedules; the settle delay is 15 minutes, so each moves the watermark to the last whole hour.
    static final String NOW_1 = "2026-07-01T14:20:00Z";
    static final String NOW_2 = "2026-07-01T16:20:00Z";
    static final String NOW_3 = "2026-07-01T18:20:00Z";
    static final Watermark AFTER_1 = watermark("2026-07-01T14:05:00Z", "2026-07-01T14:00:00Z");
    static final Watermark AFTER_2 = watermark("2026-07-01T16:05:00Z", "2026-07-01T16:00:00Z");
    static final Watermark AFTER_3 = watermark("2026-07-01T18:05:00Z", "2026-07-01T18:00:00Z");

    @Test
    void theWatermarkMovesWithTheLastChildAndTheChildrenWriteWhatOneProcessWrites(TestOpenSearch openSearch) {
        // Each batch holds what has been ingested by its schedule (random events arrive within 2 minutes).
        List<Alert> random = JobFixture.randomAlerts(61, 1_800, "2026-07-01T00:00:00Z", 1, 36);
        List<Alert> batch1 = new ArrayList<>(occurring(random, "2026-07-01T00:00:00Z", "2026-07-01T14:00:00Z"));
        batch1.add(alert("late-f", "2026-07-01T10:10:00Z", "2026-07-01T10:11:00Z", "late", FIRING, "high", "pay"));
        List<Alert> batch2 = new ArrayList<>(occurring(random, "2026-07-01T14:00:00Z", "2026-07-01T16:00:00Z"));
        // Occurred at 11:30, before the watermark's computed_until (14:00); ingested at 15:00, after its ingested_before.
        batch2.add(alert("late-r", "2026-07-01T11:30:00Z", "2026-07-01T15:00:00Z", "late", RESOLVED, "high", "pay"));
        List<Alert> batch3 = occurring(random, "2026-07-01T16:00:00Z", "2026-07-01T18:00:00Z");

        JobFixture array = new JobFixture(openSearch, "array-incr");
        JobFixture single = new JobFixture(openSearch, "array-incr-single");

        // Run 1, no watermark yet: the first child to start (2) plans for all three.
        array.store(batch1);
        single.store(batch1);
        runChildren(array, "run-1", NOW_1, Optional.empty(), 2, 0, 1);
        assertThat(array.storedWatermark()).contains(AFTER_1);
        // 'late' is still open at 14:00, so it fires through hour 12:00; the late resolution will change that.
        assertThat(array.rollup(array.rollups(), "hour", "2026-07-01T12:00:00Z", "late").path("firing_ms").asLong()).isEqualTo(3_600_000);
        assertSameAsOneProcess(array, single, NOW_1, AFTER_1);

        // Run 2 picks up from the watermark, back to the late resolution's hour.
        array.store(batch2);
        single.store(batch2);
        List<RunSummary> run2 = runChildren(array, "run-2", NOW_2, Optional.of(AFTER_1), 1, 2, 0);
        assertThat(array.storedWatermark()).contains(AFTER_2);
        assertThat(run2).allSatisfy(child -> {
            assertThat(child.emitFrom()).as("recomputed from the late event's hour").isEqualTo(Instant.parse("2026-07-01T11:00:00Z"));
            assertThat(child.end()).isEqualTo(AFTER_2.computedUntil());
        });
        Map<String, JsonNode> rollups = array.rollups();
        assertThat(array.rollup(rollups, "hour", "2026-07-01T11:00:00Z", "late").path("episodes").asLong()).isEqualTo(1);
        assertThat(rollups.values()).as("the hours the late resolution emptied were swept by the child owning 'late'")
                .noneMatch(d -> d.path("fingerprint").asText().equals("late") && d.path("interval").asText().equals("hour")
                        && Instant.parse(d.path("bucket_start").asText()).isAfter(Instant.parse("2026-07-01T11:00:00Z")));
        assertSameAsOneProcess(array, single, NOW_2, AFTER_2);

        // Run 3: child 1 starts first, plans, and fails writing; 2 and 0 finish but cannot move the watermark alone.
        array.store(batch3);
        single.store(batch3);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(openSearch.uri())) {
            proxy.failNext(Integer.MAX_VALUE, 400, path -> path.endsWith("/_bulk"));
            assertThatThrownBy(() -> array.run(NOW_3, new ArrayChild("run-3", 1, SIZE),
                    List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()), "--incremental"))
                    // Its rollups and its carry snapshots are written side by side: whichever write comes first fails it.
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageMatching("(?s).*(was not written|writing the carry snapshot at .* failed: OpenSearch rejected).*");
        }
        assertThat(array.storedWatermark()).contains(AFTER_2);
        runChildren(array, "run-3", NOW_3, Optional.of(AFTER_2), 2, 0);
        // Batch retries child 1 half an hour later: it follows the stored plan (ingested before 18:05, not 18:35).
        RunSummary retry = array.run("2026-07-01T18:50:00Z", new ArrayChild("run-3", 1, SIZE), "--incremental");
        assertThat(retry.watermarkMoved()).isTrue();
        assertThat(array.storedWatermark()).contains(AFTER_3);
        assertSameAsOneProcess(array, single, NOW_3, AFTER_3);

        long hourEvents = array.rollups().values().stream()
                .filter(d -> d.path("interval").asText().equals("hour")).mapToLong(d -> d.path("events").asLong()).sum();
        assertThat(hourEvents).as("every stored event counted once").isEqualTo(batch1.size() + batch2.size() + batch3.size());
    }

    /**
     * An array job submitted by hand with more children than fingerprint partitions: the children past them own
     * nothing and write no snapshot parts, yet the snapshot the others wrote is complete, so the next run starts
     * from it instead of replaying days of events from no state at all.
     */
    @Test
    void childrenPastThePartitionsLeaveACompleteSnapshot(TestOpenSearch openSearch) {
        JobFixture wide = new JobFixture(openSearch, "array-wide");
        List<Alert> random = JobFixture.randomAlerts(67, 400, "2026-07-01T00:00:00Z", 1, 80);
        wide.store(occurring(random, "2026-07-01T00:00:00Z", "2026-07-01T14:00:00Z"));
        int size = ShardSpec.PARTITIONS + 2;
        for (int child = 0; child < size; child++) {
            wide.run(NOW_1, new ArrayChild("wide-1", child, size), "--incremental");
        }
        assertThat(wide.storedWatermark()).contains(AFTER_1);
        wide.store(occurring(random, "2026-07-01T14:00:00Z", "2026-07-01T16:00:00Z"));

        RunSummary next = wide.run(NOW_2, List.of(), "--incremental");

        assertThat(next.replayFrom()).as("replayed from the wide run's snapshot").isEqualTo(AFTER_1.computedUntil());
        assertThat(next.watermarkMoved()).isTrue();
    }

    /**
     * A window array job one of whose children never finishes (killed past its retries, out of memory): the
     * snapshots its finished siblings replaced must stay until the whole plan is done, so the next incremental run
     * still starts from the last complete one, not from no state at all.
     */
    @Test
    void aWindowPlanLeftIncompleteKeepsTheSnapshotsItWouldReplace(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "array-unfinished");
        List<Alert> random = JobFixture.randomAlerts(71, 600, "2026-06-28T00:00:00Z", 4, 20);
        fixture.store(occurring(random, "2026-06-28T00:00:00Z", "2026-07-01T14:00:00Z"));
        assertThat(fixture.run(NOW_1, List.of(), "--incremental").watermarkMoved()).isTrue();
        assertThat(fixture.storedWatermark()).contains(AFTER_1);

        // A backfill of the last three days in two children; only child 0 ever finishes.
        RunSummary child0 = fixture.run("2026-07-01T14:30:00Z", new ArrayChild("backfill", 0, 2),
                "--from", "2026-06-28T14:00:00Z", "--to", AFTER_1.computedUntil().toString());
        assertThat(child0.planComplete()).isFalse();

        // The next hourly run, once the unfinished plan's lease has expired.
        fixture.store(occurring(random, "2026-07-01T14:00:00Z", "2026-07-01T16:00:00Z"));
        RunSummary next = fixture.run(NOW_2, List.of(), "--incremental");

        assertThat(next.replayFrom()).as("replayed from the hourly run's snapshot").isEqualTo(AFTER_1.computedUntil());
        assertThat(next.watermarkMoved()).isTrue();
    }

    /**
     * Runs children of array job {@code parent} at {@code now}, one after another in {@code order}, none of them
     * having run before: the watermark stays at {@code before} until the child that completes the array moves it.
     */
    private static List<RunSummary> runChildren(JobFixture fixture, String parent, String now, Optional<Watermark> before, int... order) {
        List<RunSummary> summaries = new ArrayList<>();
        for (int i = 0; i < order.length; i++) {
            RunSummary summary = fixture.run(now, new ArrayChild(parent, order[i], SIZE), "--incremental");
            boolean completesTheArray = i == SIZE - 1;
            assertThat(summary.watermarkMoved()).as("child %d, finishing %d of %d, moved the watermark", order[i], i + 1, SIZE)
                    .isEqualTo(completesTheArray);
            if (!completesTheArray) {
                assertThat(fixture.storedWatermark()).as("the watermark after child %d", order[i]).isEqualTo(before);
            }
            summaries.add(summary);
        }
        return summaries;
    }

    /** One process's incremental run at {@code now} over the same events writes the same rollups and watermark. */
    private static void assertSameAsOneProcess(JobFixture array, JobFixture single, String now, Watermark watermark) {
        assertThat(single.run(now, List.of(), "--incremental").watermarkMoved()).isTrue();
        assertThat(single.storedWatermark()).contains(watermark);
        Map<String, JsonNode> union = array.rollups();
        Map<String, JsonNode> oneProcess = single.rollups();
        assertThat(union).isNotEmpty().hasSameSizeAs(oneProcess);
        assertThat(union).isEqualTo(oneProcess);
    }

    private static List<Alert> occurring(List<Alert> alerts, String from, String to) {
        return alerts.stream().filter(a -> !a.occurredAt().isBefore(Instant.parse(from)) && a.occurredAt().isBefore(Instant.parse(to))).toList();
    }

    private static Watermark watermark(String ingestedBefore, String computedUntil) {
        return new Watermark(Instant.parse(ingestedBefore), Instant.parse(computedUntil));
    }
}
