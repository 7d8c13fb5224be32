package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.JobDoneLine;
import dev.rollcall.core.store.RollupsChange;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** Incremental runs follow the watermark, recompute what late events touch, and end up where one run over everything does. */
@RealServers
class IncrementalIT {

    @Test
    void aBatchRetryOfABacklogRunThatAlreadyMovedItsWatermarkEndsAtOnce(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "retry-done");
        fixture.store(JobFixture.randomAlerts(5, 600, "2026-03-14T00:00:00Z", 6, 20));
        assertThat(fixture.exec("2026-03-15T10:20:00Z", List.of("AWS_BATCH_JOB_ID", "job-1"), "--incremental").code()).isZero();
        // The schedule was off for five days: the next run works off the backlog from a snapshot it prunes when done.
        assertThat(fixture.exec("2026-03-20T10:20:00Z", List.of("AWS_BATCH_JOB_ID", "job-2"), "--incremental").code()).isZero();
        Map<String, JsonNode> rollups = fixture.rollups();
        JsonNode watermark = fixture.watermark();

        // Batch retries job-2, as if its first attempt had died after moving the watermark (a timeout, a lost task).
        JobFixture.JobExit retry = fixture.exec("2026-03-20T10:25:00Z", List.of("AWS_BATCH_JOB_ID", "job-2"), "--incremental");

        assertThat(retry.code()).as("not a failure Batch retries until the job fails and the alarm fires").isZero();
        retry.line("already_complete");
        assertThat(fixture.rollups()).isEqualTo(rollups);
        assertThat(fixture.watermark().path("computed_until")).isEqualTo(watermark.path("computed_until"));
        assertThat(fixture.watermark().path("ingested_before")).isEqualTo(watermark.path("ingested_before"));
    }

    /** The deployment's metric filters read this line (see {@link JobDoneLine}); the stale-rollups alarm rests on it. */
    @Test
    void theLastLineSaysWhetherTheRunMovedTheWatermark(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "doneline");
        fixture.store(List.of(alert("f", "2026-03-20T10:10:00Z", "2026-03-20T10:11:00Z", "a", FIRING, "high", "pay")));

        JsonNode incremental = fixture.exec("2026-03-20T14:20:00Z", List.of(), "--incremental").line(JobDoneLine.DONE);
        JsonNode window = fixture.exec("2026-03-20T14:30:00Z", List.of(), "--from", "2026-03-20T00:00:00Z", "--to", "2026-03-21T00:00:00Z")
                .line(JobDoneLine.DONE);
        JsonNode dryRun = fixture.exec("2026-03-20T15:20:00Z", List.of(), "--incremental", "--dry-run").line(JobDoneLine.DONE);

        assertThat(incremental.path(JobDoneLine.EVENT).asText()).isEqualTo(JobDoneLine.DONE);
        assertThat(incremental.path(JobDoneLine.WATERMARK_MOVED).isBoolean()).isTrue();
        assertThat(incremental.path(JobDoneLine.WATERMARK_MOVED).asBoolean()).isTrue();
        assertThat(incremental.path(JobDoneLine.DRY_RUN).isBoolean()).isTrue();
        assertThat(incremental.path(JobDoneLine.DRY_RUN).asBoolean()).isFalse();
        assertThat(incremental.path(JobDoneLine.EVENTS_READ).isIntegralNumber()).isTrue();
        assertThat(incremental.path(JobDoneLine.EVENTS_READ).asLong()).isEqualTo(1);
        assertThat(incremental.path(JobDoneLine.EVENTS_ROLLED_UP).isIntegralNumber()).isTrue();
        assertThat(incremental.path(JobDoneLine.EVENTS_ROLLED_UP).asLong()).isEqualTo(1);
        // How far the rollups trail the clock, which the rollups-behind alarm watches: only a run that moved it says.
        assertThat(incremental.path(JobDoneLine.COMPUTED_UNTIL_LAG_S).isIntegralNumber()).isTrue();
        long lag = java.time.Duration.between(java.time.Instant.parse(fixture.watermark().path("computed_until").asText()),
                java.time.Instant.parse("2026-03-20T14:20:00Z")).toSeconds();
        // The fixture's clock starts at the given time and ticks while the run lasts.
        assertThat(incremental.path(JobDoneLine.COMPUTED_UNTIL_LAG_S).asLong()).isBetween(lag, lag + 120);
        assertThat(window.path(JobDoneLine.WATERMARK_MOVED).asBoolean()).isFalse();
        assertThat(window.has(JobDoneLine.COMPUTED_UNTIL_LAG_S)).isFalse();
        assertThat(dryRun.path(JobDoneLine.WATERMARK_MOVED).asBoolean()).isFalse();
        assertThat(dryRun.path(JobDoneLine.DRY_RUN).asBoolean()).isTrue();
    }

    /** The query API gives remembered answers while this token is unchanged: every run that may write changes it. */
    @Test
    void everyRunThatWritesReplacesTheRollupsChangeToken(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "changetoken");
        fixture.store(List.of(alert("f", "2026-03-20T10:10:00Z", "2026-03-20T10:11:00Z", "a", FIRING, "high", "pay")));
        assertThat(fixture.stateDocument(RollupsChange.ID)).isEmpty();

        fixture.exec("2026-03-20T14:20:00Z", List.of(), "--incremental");
        JsonNode afterIncremental = fixture.stateDocument(RollupsChange.ID).orElseThrow();
        // Replaced after the watermark moved, the last write a report reads (on-call reads the watermark).
        assertThat(seqNo(openSearch, fixture, RollupsChange.ID)).isGreaterThan(seqNo(openSearch, fixture, WatermarkStore.ID));
        fixture.exec("2026-03-20T14:30:00Z", List.of(), "--from", "2026-03-20T00:00:00Z", "--to", "2026-03-21T00:00:00Z");
        JsonNode afterWindow = fixture.stateDocument(RollupsChange.ID).orElseThrow();
        fixture.exec("2026-03-20T15:20:00Z", List.of(), "--incremental", "--dry-run");
        JsonNode afterDryRun = fixture.stateDocument(RollupsChange.ID).orElseThrow();
        // No new events: nothing to roll up, but the watermark moves.
        fixture.exec("2026-03-20T15:21:00Z", List.of(), "--incremental");
        JsonNode afterNoWork = fixture.stateDocument(RollupsChange.ID).orElseThrow();
        // A run stopped while it reads (SIGTERM) may have written rollups already.
        JobConfig config = JobConfig.fromEnvironment(fixture.env());
        assertThatThrownBy(() -> AggregationRun.run(config, JobArguments.parse("--from", "2026-03-20T00:00:00Z", "--to", "2026-03-21T00:00:00Z"),
                JobFixture.clockAt("2026-03-20T15:30:00Z"), new JsonLog(new PrintStream(OutputStream.nullOutputStream()), "stopped",
                        JobFixture.clockAt("2026-03-20T15:30:00Z")), () -> true)).isInstanceOf(TerminatedException.class);
        JsonNode afterStop = fixture.stateDocument(RollupsChange.ID).orElseThrow();

        assertThat(afterIncremental.path("phase").asText()).isEqualTo("done");
        assertThat(afterWindow.path(RollupsChange.TOKEN).asText()).isNotBlank().isNotEqualTo(afterIncremental.path(RollupsChange.TOKEN).asText());
        assertThat(afterDryRun).as("a dry run writes nothing").isEqualTo(afterWindow);
        assertThat(afterNoWork.path(RollupsChange.TOKEN).asText()).isNotEqualTo(afterWindow.path(RollupsChange.TOKEN).asText());
        assertThat(afterStop.path("phase").asText()).isEqualTo("failed");
        assertThat(afterStop.path(RollupsChange.TOKEN).asText()).isNotEqualTo(afterNoWork.path(RollupsChange.TOKEN).asText());
    }

    private static long seqNo(TestOpenSearch openSearch, JobFixture fixture, String id) {
        JsonNode doc = AlertJson.readTree(openSearch.request("GET", "/" + fixture.names.stateIndex() + "/_doc/" + id, null).body());
        assertThat(doc.path("found").asBoolean()).as(id).isTrue();
        return doc.path("_seq_no").asLong();
    }

    @Test
    void lateEventsAreRecomputedAndTheResultEqualsOneRunOverEverything(TestOpenSearch openSearch) {
        List<Alert> random = JobFixture.randomAlerts(31, 3_000, "2026-03-20T00:00:00Z", 1, 40);
        List<Alert> early = new ArrayList<>(random.stream().filter(a -> a.occurredAt().isBefore(Instant.parse("2026-03-20T14:00:00Z"))).toList());
        early.add(alert("late-f", "2026-03-20T10:10:00Z", "2026-03-20T10:11:00Z", "late", FIRING, "high", "pay"));
        List<Alert> later = new ArrayList<>(random.stream().filter(a -> !a.occurredAt().isBefore(Instant.parse("2026-03-20T14:00:00Z"))
                && a.occurredAt().isBefore(Instant.parse("2026-03-20T16:00:00Z"))).toList());
        // Occurred at 11:30, ingested at 15:00: long after the hour was rolled up.
        later.add(alert("late-r", "2026-03-20T11:30:00Z", "2026-03-20T15:00:00Z", "late", RESOLVED, "high", "pay"));

        JobFixture incremental = new JobFixture(openSearch, "incremental");
        incremental.store(early);
        RunSummary first = incremental.run("2026-03-20T14:20:00Z", List.of(), "--incremental");
        assertThat(first.end()).isEqualTo(Instant.parse("2026-03-20T14:00:00Z"));
        assertThat(first.watermarkMoved()).isTrue();
        assertThat(incremental.watermark().path("computed_until").asText()).isEqualTo("2026-03-20T14:00:00Z");
        assertThat(incremental.watermark().path("ingested_before").asText()).isEqualTo("2026-03-20T14:05:00Z");
        assertThat(incremental.rollup(incremental.rollups(), "hour", "2026-03-20T12:00:00Z", "late").path("firing_ms").asLong()).isEqualTo(3_600_000);

        incremental.store(later);
        RunSummary second = incremental.run("2026-03-20T16:20:00Z", List.of(), "--incremental");
        assertThat(second.emitFrom()).as("recomputed from the late event's hour").isEqualTo(Instant.parse("2026-03-20T11:00:00Z"));
        assertThat(second.end()).isEqualTo(Instant.parse("2026-03-20T16:00:00Z"));
        Map<String, JsonNode> rollups = incremental.rollups();
        assertThat(incremental.rollup(rollups, "hour", "2026-03-20T11:00:00Z", "late").path("episodes").asLong()).isEqualTo(1);
        assertThat(rollups.values()).as("the hour the late resolution emptied was swept")
                .noneMatch(d -> d.path("fingerprint").asText().equals("late") && d.path("bucket_start").asText().equals("2026-03-20T12:00:00Z"));
        assertThat(second.staleRollupsDeleted()).isPositive();

        JobFixture everything = new JobFixture(openSearch, "incremental-once");
        everything.store(early);
        everything.store(later);
        everything.run("--from", "2026-03-20T00:00:00Z", "--to", "2026-03-20T16:00:00Z");
        assertThat(rollups).isEqualTo(everything.rollups());

        RunSummary nothingNew = incremental.run("2026-03-20T16:40:00Z", List.of(), "--incremental");
        assertThat(nothingNew.emitFrom()).isEqualTo(nothingNew.end());
        assertThat(incremental.rollups()).isEqualTo(rollups);

        // The daily re-run of the previous day: the whole day, the same as a window run over it.
        RunSummary previousDay = incremental.run("2026-03-21T03:00:00Z", List.of(), "--previous-day");
        assertThat(previousDay.emitFrom()).isEqualTo(Instant.parse("2026-03-20T00:00:00Z"));
        assertThat(previousDay.end()).isEqualTo(Instant.parse("2026-03-21T00:00:00Z"));
        everything.run("--from", "2026-03-20", "--to", "2026-03-21");
        assertThat(incremental.rollups()).isEqualTo(everything.rollups());
        // It supersedes the hourly runs' snapshots of the day, so it leaves its own at every hour: the next hourly run
        // starts from the one at its watermark (16:00) instead of replaying the day from its start.
        assertThat(previousDay.carrySnapshots()).isEqualTo(24);
        RunSummary nextHourly = incremental.run("2026-03-21T03:10:00Z", List.of(), "--incremental");
        assertThat(nextHourly.emitFrom()).isEqualTo(Instant.parse("2026-03-20T16:00:00Z"));
        assertThat(nextHourly.replayFrom()).isEqualTo(Instant.parse("2026-03-20T16:00:00Z"));
        everything.run("--from", "2026-03-20", "--to", "2026-03-21T02:00:00Z");
        assertThat(incremental.rollups()).isEqualTo(everything.rollups());
    }

    /**
     * One job works off a backlog larger than its window by running the next window at once, for as long as its
     * catch-up time allows: a first run over the retention, or a late event weeks old, no longer leaves the rollups
     * stale for one scheduled run per window. Each round is a plan of its own, with a Batch job id as without; the
     * result equals one run over everything. With no catch-up time it stops after one window, as before.
     */
    @Test
    void oneJobWorksOffABacklogWindowAfterWindowWithinItsCatchUpTime(TestOpenSearch openSearch) {
        List<Alert> backlog = JobFixture.randomAlerts(41, 3_000, "2026-03-15T00:00:00Z", 5, 40);
        JobFixture everything = new JobFixture(openSearch, "catchup-once");
        everything.store(backlog);
        everything.run("--from", "2026-03-15T00:00:00Z", "--to", "2026-03-20T00:00:00Z");

        for (List<String> batch : List.of(List.<String>of(), List.of("AWS_BATCH_JOB_ID", "catch-up-job"))) {
            JobFixture fixture = new JobFixture(openSearch, "catchup" + batch.size());
            fixture.store(backlog);
            List<String> env = new ArrayList<>(List.of("ROLLCALL_JOB_MAX_WINDOW", "2d"));
            env.addAll(batch);
            JobFixture.JobExit exit = fixture.exec("2026-03-20T00:20:00Z", env, "--incremental");

            assertThat(exit.code()).isZero();
            assertThat(exit.lines()).filteredOn(l -> l.path("event").asText().equals("done"))
                    .extracting(l -> l.path("to").asText())
                    .containsExactly("2026-03-17T00:00:00Z", "2026-03-19T00:00:00Z", "2026-03-20T00:00:00Z");
            assertThat(exit.lines()).filteredOn(l -> l.path("event").asText().equals("catching_up"))
                    .extracting(l -> l.path("round").asInt()).containsExactly(2, 3);
            assertThat(fixture.watermark().path("computed_until").asText()).isEqualTo("2026-03-20T00:00:00Z");
            assertThat(fixture.rollups()).as("job id %s", batch).isEqualTo(everything.rollups());
        }

        JobFixture once = new JobFixture(openSearch, "catchup-off");
        once.store(backlog);
        JobFixture.JobExit exit = once.exec("2026-03-20T00:20:00Z", List.of("ROLLCALL_JOB_MAX_WINDOW", "2d", "ROLLCALL_JOB_CATCH_UP_FOR", "0s",
                "AWS_BATCH_JOB_ID", "retried-job"), "--incremental");
        assertThat(exit.lines()).filteredOn(l -> l.path("event").asText().equals("done")).hasSize(1);
        assertThat(once.watermark().path("computed_until").asText()).isEqualTo("2026-03-17T00:00:00Z");

        // A Batch retry of that job (as after an attempt stopped once its first round was done) finds the first plan
        // done and goes on with rounds of its own, to the same rollups.
        JobFixture.JobExit retry = once.exec("2026-03-20T00:20:00Z", List.of("ROLLCALL_JOB_MAX_WINDOW", "2d", "AWS_BATCH_JOB_ID", "retried-job"),
                "--incremental");
        assertThat(retry.code()).isZero();
        assertThat(retry.lines()).filteredOn(l -> l.path("event").asText().equals("done")).extracting(l -> l.path("to").asText())
                .containsExactly("2026-03-17T00:00:00Z", "2026-03-19T00:00:00Z", "2026-03-20T00:00:00Z");
        assertThat(once.watermark().path("computed_until").asText()).isEqualTo("2026-03-20T00:00:00Z");
        assertThat(once.rollups()).isEqualTo(everything.rollups());
    }

    /**
     * A backlog larger than one run may compute (the first run over a long retention, an outage, a flood of late
     * events) is worked off by successive runs, each inside its window; a late event older than the stored
     * watermark moves it back to where the capped run stopped. The result equals one run over everything.
     */
    @Test
    void aBacklogIsWorkedOffWindowByWindowAndALateEventMovesTheWatermarkBack(TestOpenSearch openSearch) {
        List<Alert> backlog = JobFixture.randomAlerts(37, 4_000, "2026-03-15T00:00:00Z", 5, 40);
        List<String> twoDays = List.of("ROLLCALL_JOB_MAX_WINDOW", "2d");
        JobFixture incremental = new JobFixture(openSearch, "backlog");
        incremental.store(backlog);

        RunSummary first = incremental.run("2026-03-20T00:20:00Z", twoDays, "--incremental");
        assertThat(first.emitFrom()).isEqualTo(Instant.parse("2026-03-15T00:00:00Z"));
        assertThat(first.end()).as("capped at two days").isEqualTo(Instant.parse("2026-03-17T00:00:00Z"));
        assertThat(first.watermarkMoved()).isTrue();
        assertThat(incremental.watermark().path("computed_until").asText()).isEqualTo("2026-03-17T00:00:00Z");
        RunSummary second = incremental.run("2026-03-20T00:20:00Z", twoDays, "--incremental");
        assertThat(second.emitFrom()).isEqualTo(Instant.parse("2026-03-17T00:00:00Z"));
        assertThat(second.end()).isEqualTo(Instant.parse("2026-03-19T00:00:00Z"));
        RunSummary third = incremental.run("2026-03-20T00:20:00Z", twoDays, "--incremental");
        assertThat(third.end()).as("caught up").isEqualTo(Instant.parse("2026-03-20T00:00:00Z"));

        JobFixture everything = new JobFixture(openSearch, "backlog-once");
        everything.store(backlog);
        everything.run("--from", "2026-03-15T00:00:00Z", "--to", "2026-03-20T00:00:00Z");
        assertThat(incremental.rollups()).isEqualTo(everything.rollups());

        // Ingested at 00:30, occurred four days earlier: the next run starts there and stops two days on.
        Alert late = alert("late-backlog", "2026-03-16T10:10:00Z", "2026-03-20T00:30:00Z", "late-backlog", FIRING, "high", "pay");
        incremental.store(List.of(late));
        RunSummary fourth = incremental.run("2026-03-20T01:20:00Z", twoDays, "--incremental");
        assertThat(fourth.emitFrom()).isEqualTo(Instant.parse("2026-03-16T10:00:00Z"));
        assertThat(fourth.end()).isEqualTo(Instant.parse("2026-03-18T10:00:00Z"));
        assertThat(fourth.watermarkMoved()).isTrue();
        assertThat(incremental.watermark().path("computed_until").asText()).as("moved back to where the run stopped")
                .isEqualTo("2026-03-18T10:00:00Z");
        RunSummary fifth = incremental.run("2026-03-20T01:20:00Z", twoDays, "--incremental");
        assertThat(fifth.emitFrom()).isEqualTo(Instant.parse("2026-03-18T10:00:00Z"));
        assertThat(fifth.end()).isEqualTo(Instant.parse("2026-03-20T01:00:00Z"));

        everything.store(List.of(late));
        everything.run("--from", "2026-03-15T00:00:00Z", "--to", "2026-03-20T01:00:00Z");
        assertThat(incremental.rollups()).isEqualTo(everything.rollups());
    }
}
