package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.INFO;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.AlertState;
import dev.rollcall.servers.FaultInjectingProxy;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Events of one millisecond straddling page boundaries: small pages, and a point-in-time lost in the middle of such a
 * millisecond, give exactly the rollups of one page larger than the data.
 */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameMillisecondIT {

    static final String FROM = "2026-08-01";
    static final String TO = "2026-08-02";
    static final int SMALL_PAGE = 50;

    private JobFixture fixture;
    private List<Alert> alerts;
    private Map<String, JsonNode> onePage;

    /**
     * A busy day with two crowded neighbouring milliseconds (600 and 300 events), a firing resolved in its own
     * millisecond and an open alert recovered and re-triggered in one.
     */
    static List<Alert> alerts() {
        List<Alert> alerts = new ArrayList<>(JobFixture.randomAlerts(53, 1_500, "2026-08-01T00:00:00Z", 1, 40));
        AlertState[] states = {FIRING, RESOLVED, INFO};
        for (int i = 0; i < 900; i++) {
            String at = i < 600 ? "2026-08-01T10:00:00.123Z" : "2026-08-01T10:00:00.124Z";
            int fp = (i * 7) % 40;
            // Ids run against the content order, so neither storage nor an id sort would give the stream order.
            alerts.add(alert(String.format("tie-%04d", 900 - i), at, "fp-" + fp, states[(i / 40) % 3],
                    new String[] {"high", "low", "ignore"}[fp % 3], "svc-" + (fp % 7)));
        }
        // The resolution is stored first; in stream order the firing comes first, so the episode lasts 0 ms.
        alerts.add(alert("pair-1", "2026-08-01T15:00:00.500Z", "pair", RESOLVED, "high", "pay"));
        for (int i = 0; i < 120; i++) {
            alerts.add(alert("crowd-" + i, "2026-08-01T15:00:00.500Z", "crowd-" + (i % 9), FIRING, "low", "pay"));
        }
        alerts.add(alert("pair-0", "2026-08-01T15:00:00.500Z", "pair", FIRING, "high", "pay"));
        // Recovered and re-triggered in one second while open: stored firing first, counted resolution first.
        alerts.add(alert("again-0", "2026-08-01T17:00:00Z", "again", FIRING, "high", "billing"));
        alerts.add(alert("again-2", "2026-08-01T17:30:00Z", "again", FIRING, "high", "billing"));
        alerts.add(alert("again-1", "2026-08-01T17:30:00Z", "again", RESOLVED, "high", "billing"));
        alerts.add(alert("again-3", "2026-08-01T18:00:00Z", "again", RESOLVED, "high", "billing"));
        return alerts;
    }

    @BeforeAll
    void rollUpInOnePage(TestOpenSearch openSearch) {
        fixture = new JobFixture(openSearch, "same-ms");
        alerts = alerts();
        fixture.store(alerts);
        RunSummary summary = fixture.run(Instant.now().toString(), List.of("ROLLCALL_JOB_PAGE_SIZE", "10000"), "--from", FROM, "--to", TO);
        assertThat(summary.eventsRead()).isEqualTo(alerts.size());
        onePage = fixture.rollups();
    }

    @Test
    void aFiringAndItsResolutionInOneMillisecondAreAZeroLengthEpisode() {
        JsonNode pair = fixture.rollup(onePage, "hour", "2026-08-01T15:00:00Z", "pair");
        assertThat(pair.path("episodes").asLong()).isEqualTo(1);
        assertThat(pair.path("resolve_ms_sum").asLong()).isZero();
        assertThat(pair.path("transients").asLong()).isEqualTo(1);
        assertThat(pair.path("firing_ms").asLong()).isZero();
        assertThat(onePage.values().stream().mapToLong(d -> d.path("interval").asText().equals("hour") ? d.path("events").asLong() : 0).sum())
                .isEqualTo(alerts.size());
    }

    @Test
    void aRecoveryAndReTriggerInOneSecondOfAnOpenAlertAreTwoEpisodesFiringThroughout() {
        JsonNode first = fixture.rollup(onePage, "hour", "2026-08-01T17:00:00Z", "again");
        assertThat(first.path("episodes").asLong()).isEqualTo(1);
        assertThat(first.path("firing_ms").asLong()).isEqualTo(3_600_000);
        assertThat(first.path("duplicates").asLong()).isZero();
        JsonNode second = fixture.rollup(onePage, "hour", "2026-08-01T18:00:00Z", "again");
        assertThat(second.path("episodes").asLong()).isEqualTo(1);
        assertThat(second.path("resolve_ms_sum").asLong()).isEqualTo(1_800_000);
    }

    @Test
    void smallPagesGiveTheRollupsOfOnePage() {
        RunSummary summary = fixture.run(Instant.now().toString(), List.of("ROLLCALL_JOB_PAGE_SIZE", Integer.toString(SMALL_PAGE)),
                "--from", FROM, "--to", TO);
        assertThat(summary.eventsRead()).isEqualTo(alerts.size());
        assertThat(fixture.rollups()).isEqualTo(onePage);
        fixture.assertRewroteAll(summary, onePage);
    }

    @Test
    void aPointInTimeLostInsideACrowdedMillisecondIsReadAgainFromItsStart() {
        // Three pages into the 600 events of 10:00:00.123, the node loses the run's point-in-time (as when it expires
        // or the node restarts), and the next search gets the node's own 404. Deleting all of them is safe: ITs run
        // one at a time, and this run holds the only one.
        AtomicInteger searches = new AtomicInteger();
        AtomicReference<JsonNode> deleted = new AtomicReference<>();
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(fixture.openSearch.uri())) {
            // The proxy injects nothing: it only says when the search into the crowd is on its way to the node.
            proxy.failNext(0, 404, path -> {
                if (path.equals("/_search") && searches.incrementAndGet() == pageIntoTheCrowd()) {
                    deleted.set(AlertJson.readTree(fixture.openSearch.request("DELETE", "/_search/point_in_time/_all", null).body()));
                }
                return false;
            });
            JobFixture.LoggedRun run = fixture.runLogged(Instant.now().toString(), List.of("ROLLCALL_OPENSEARCH_ENDPOINT", proxy.uri().toString(),
                    "ROLLCALL_JOB_PAGE_SIZE", Integer.toString(SMALL_PAGE)), "--from", FROM, "--to", TO);

            assertThat(deleted.get()).as("the point-in-time deleted mid-read").isNotNull();
            assertThat(deleted.get().path("pits")).isNotEmpty().allMatch(pit -> pit.path("successful").asBoolean());
            assertThat(proxy.faultsServed()).isZero();
            assertThat(run.lines("point_in_time_reopened")).hasSize(1);
            assertThat(run.lines("point_in_time_reopened").get(0).path("reason").asText()).as("the node's own answer")
                    .contains("search_context_missing_exception");
            assertThat(run.summary().eventsRead()).as("nothing lost, nothing counted twice").isEqualTo(alerts.size());
            assertThat(fixture.rollups()).isEqualTo(onePage);
            fixture.assertRewroteAll(run.summary(), onePage);
        }
    }

    /** The number of a search whose cursor lies inside the 600 events of 10:00:00.123 (there are no events before the day). */
    private int pageIntoTheCrowd() {
        long before = alerts.stream().filter(a -> a.occurredAt().isBefore(Instant.parse("2026-08-01T10:00:00.123Z"))).count();
        return (int) (before / SMALL_PAGE) + 4;
    }
}
