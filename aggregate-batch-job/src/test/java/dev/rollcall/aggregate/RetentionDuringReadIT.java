package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.store.EventsRetention;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * The lifecycle policy deletes a month's events index while a run reads it: an incremental run's replay (from one
 * episode max age before the retention's start) reads July while July is deleted. A read that went on would count the
 * part of July before the deletion and not the rest (an episode opened before it and resolved after it would stay open
 * into the window), rollups that neither the events before nor those after the deletion give: the run fails (exit 1,
 * no stack trace, watermark unmoved) and its retry reads what is left.
 */
@RealServers
class RetentionDuringReadIT {

    static final String NOW = "2026-08-03T00:30:00Z";
    /** The retention starts at 2026-08-01T01:00: the run computes from there and replays from 2026-07-25T01:00. */
    static final List<String> ENV = List.of(EventsRetention.VARIABLE, "2", "ROLLCALL_JOB_PAGE_SIZE", "50",
            "AWS_BATCH_JOB_ID", "hourly-1");
    static final Instant JULY = Instant.parse("2026-07-15T00:00:00Z");

    static List<Alert> july() {
        List<Alert> alerts = new ArrayList<>(JobFixture.randomAlerts(61, 1_500, "2026-07-26T00:00:00Z", 6, 30));
        // Opened early in the replay, resolved late in it: read only in part, it would still be firing in the window.
        alerts.add(alert("long-0", "2026-07-26T00:30:00Z", "long", FIRING, "high", "pay"));
        alerts.add(alert("long-1", "2026-07-31T10:00:00Z", "long", RESOLVED, "high", "pay"));
        return alerts;
    }

    static List<Alert> august() {
        return JobFixture.randomAlerts(62, 1_000, "2026-08-01T00:00:00Z", 2, 30);
    }

    @Test
    void aMonthDeletedWhileItsEventsAreReadFailsTheRunAndItsRetryReadsWhatIsLeft(TestOpenSearch openSearch) {
        Map<String, JsonNode> afterDeletion = cleanRun(openSearch, "deleted-clean", august());
        // Ten pages into July's 1,502 events: its index is deleted, and the point-in-time's contexts on it go too.
        JobFixture fixture = new JobFixture(openSearch, "deleted-mid");
        assertFailedThenRetriedTo(fixture, deleteJulyAtSearch(fixture, 10, false), afterDeletion);
    }

    @Test
    void aPointInTimeLostWhileTheMonthIsDeletedFailsTheRunToo(TestOpenSearch openSearch) {
        Map<String, JsonNode> afterDeletion = cleanRun(openSearch, "lost-clean", august());
        // The point-in-time lost first (expired, a node restart), then July deleted before it is reopened.
        JobFixture fixture = new JobFixture(openSearch, "lost-mid");
        assertFailedThenRetriedTo(fixture, deleteJulyAtSearch(fixture, 10, true), afterDeletion);
    }

    @Test
    void aMonthDeletedAfterItWasReadLosesNothing(TestOpenSearch openSearch) {
        List<Alert> all = new ArrayList<>(july());
        all.addAll(august());
        Map<String, JsonNode> beforeDeletion = cleanRun(openSearch, "read-clean", all);
        // Forty pages in, July's events are all read (the cursor is in August): the reopened point-in-time goes on.
        JobFixture fixture = new JobFixture(openSearch, "read-then");
        JobFixture.JobExit exit = deleteJulyAtSearch(fixture, 40, false);
        assertThat(exit.code()).as(exit.lines().toString()).isZero();
        assertThat(exit.lines()).anySatisfy(line -> assertThat(line.path("event").asText()).isEqualTo("point_in_time_reopened"));
        assertThat(fixture.rollups()).isEqualTo(beforeDeletion);
        assertThat(fixture.watermark().path("computed_until").asText()).isEqualTo("2026-08-03T00:00:00Z");
    }

    private static void assertFailedThenRetriedTo(JobFixture fixture, JobFixture.JobExit failed, Map<String, JsonNode> afterDeletion) {
        assertThat(failed.code()).as(failed.lines().toString()).isEqualTo(AggregationJob.FAILED);
        JsonNode line = failed.line("failed");
        assertThat(line.path("reason").asText()).isEqualTo("events_deleted");
        assertThat(line.path("message").asText()).contains(fixture.names.eventsIndex(JULY));
        assertThat(failed.lines()).noneSatisfy(l -> assertThat(l.has("stack_trace")).isTrue());
        assertThat(fixture.watermark().isMissingNode()).as("watermark unmoved").isTrue();

        // Batch retries the job: it reads August alone, as any run after the deletion does.
        JobFixture.JobExit retried = fixture.exec(NOW, ENV, "--incremental");
        assertThat(retried.code()).as(retried.lines().toString()).isZero();
        assertThat(fixture.rollups()).isEqualTo(afterDeletion);
        assertThat(fixture.watermark().path("computed_until").asText()).isEqualTo("2026-08-03T00:00:00Z");
    }

    /** Stores July and August, then runs the hourly job deleting July's index just before its {@code search}th page. */
    private static JobFixture.JobExit deleteJulyAtSearch(JobFixture fixture, int search, boolean pointInTimeFirst) {
        fixture.store(july());
        fixture.store(august());
        AtomicInteger searches = new AtomicInteger();
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fixture.openSearch.uri())) {
            // The proxy injects nothing: it only says when a page is on its way to the node.
            proxy.failNext(0, 404, path -> {
                if (path.equals("/_search") && searches.incrementAndGet() == search) {
                    if (pointInTimeFirst) {
                        fixture.openSearch.request("DELETE", "/_search/point_in_time/_all", null);
                    }
                    TestOpenSearch.Response deleted = fixture.openSearch.request("DELETE", "/" + fixture.names.eventsIndex(JULY), null);
                    assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
                }
                return false;
            });
            List<String> env = new ArrayList<>(ENV);
            env.addAll(List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString()));
            JobFixture.JobExit exit = fixture.exec(NOW, env, "--incremental");
            assertThat(searches.get()).as("pages read, July deleted before the last").isGreaterThanOrEqualTo(search);
            return exit;
        }
    }

    private static Map<String, JsonNode> cleanRun(TestOpenSearch openSearch, String hint, List<Alert> alerts) {
        JobFixture clean = new JobFixture(openSearch, hint);
        clean.store(alerts);
        JobFixture.JobExit exit = clean.exec(NOW, ENV, "--incremental");
        assertThat(exit.code()).as(exit.lines().toString()).isZero();
        Map<String, JsonNode> rollups = clean.rollups();
        assertThat(rollups).isNotEmpty();
        return rollups;
    }
}
