package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.INFO;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Small, hand-checkable datasets for every metric, rolled up in two daily windows (so an episode and a month cross
 * the window boundary) and compared with one run over both days.
 */
@RealServers
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {

    static final List<Alert> ALERTS = List.of(
            // pages: 10:01:20 is 50 s after the previous page, so 4 pages are 2 interruptions; all but the first are duplicates
            alert("pg1", "2026-03-10T10:00:00Z", "pg", FIRING, "high", "pay"),
            alert("pg2", "2026-03-10T10:00:30Z", "pg", FIRING, "high", "pay"),
            alert("pg3", "2026-03-10T10:01:20Z", "pg", FIRING, "high", "pay"),
            alert("pg4", "2026-03-10T10:05:00Z", "pg", FIRING, "high", "pay"),
            // transient: resolved after 3 minutes
            alert("tr1", "2026-03-10T11:00:00Z", "tr", FIRING, "low", "web"),
            alert("tr2", "2026-03-10T11:03:00Z", "tr", RESOLVED, "low", "web"),
            // standing: 26 hours, crossing the 24 h threshold at 03-11 12:00
            alert("st1", "2026-03-10T12:00:00Z", "st", FIRING, "high", "db"),
            alert("st2", "2026-03-11T14:00:00Z", "st", RESOLVED, "high", "db"),
            // flapping: 4 state changes within the hour
            alert("fl1", "2026-03-10T13:00:00Z", "fl", FIRING, "low", "queue"),
            alert("fl2", "2026-03-10T13:10:00Z", "fl", RESOLVED, "low", "queue"),
            alert("fl3", "2026-03-10T13:20:00Z", "fl", FIRING, "low", "queue"),
            alert("fl4", "2026-03-10T13:30:00Z", "fl", RESOLVED, "low", "queue"),
            // correlated: c2 fires 2 minutes after c1 of the same service; c3 18 minutes after c2 is not
            alert("c1", "2026-03-10T15:00:00Z", "c1", FIRING, "high", "api"),
            alert("c2", "2026-03-10T15:02:00Z", "c2", FIRING, "high", "api"),
            alert("c3", "2026-03-10T15:20:00Z", "c3", FIRING, "high", "api"),
            alert("c1r", "2026-03-10T15:30:00Z", "c1", RESOLVED, "high", "api"),
            alert("c2r", "2026-03-10T15:30:00Z", "c2", RESOLVED, "high", "api"),
            alert("c3r", "2026-03-10T15:30:00Z", "c3", RESOLVED, "high", "api"),
            // ignored
            alert("ig1", "2026-03-10T16:00:00Z", "ig", INFO, "ignore", "batch"),
            // an escalation: a warning, its page 10 minutes later, resolved after 30 more (Datadog's Warn, Triggered, Recovered)
            alert("es1", "2026-03-10T18:00:00Z", "esc", FIRING, "low", "cart"),
            alert("es2", "2026-03-10T18:10:00Z", "esc", FIRING, "high", "cart"),
            alert("es3", "2026-03-10T18:40:00Z", "esc", RESOLVED, "high", "cart"),
            // an episode across the window boundary: 23:30 to 00:45 the next day, its recovery classified apart (a
            // Sentry resolution is severity info), so the second window knows the page's dimensions from the snapshot
            alert("x1", "2026-03-10T23:30:00Z", "x", FIRING, "high", "edge"),
            alert("x2", "2026-03-11T00:45:00Z", "x", RESOLVED, "low", "edge"));

    private JobFixture windows;
    private JobFixture single;
    private Map<String, JsonNode> rollups;

    @BeforeAll
    void rollUp(TestOpenSearch openSearch) {
        windows = new JobFixture(openSearch, "metrics-windows");
        windows.store(ALERTS);
        windows.run("--from", "2026-03-10", "--to", "2026-03-11");
        RunSummary second = windows.run("--from", "2026-03-11", "--to", "2026-03-12");
        assertThat(second.replayFrom()).as("the second window starts from the first one's carry snapshot").isEqualTo(java.time.Instant.parse("2026-03-11T00:00:00Z"));
        rollups = windows.rollups();
        single = new JobFixture(openSearch, "metrics-single");
        single.store(ALERTS);
        single.run("--from", "2026-03-10", "--to", "2026-03-12");
    }

    @Test
    void twoWindowsEqualOneRun() {
        assertThat(rollups).isNotEmpty().isEqualTo(single.rollups());
    }

    @Test
    void pagesCoalesceIntoInterruptions() {
        JsonNode day = windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "pg");
        assertThat(day.path("pages").asLong()).isEqualTo(4);
        assertThat(day.path("interruptions").asLong()).isEqualTo(2);
        assertThat(day.path("duplicates").asLong()).isEqualTo(3);
        assertThat(day.path("firing").asLong()).isEqualTo(4);
        assertThat(windows.rollup(rollups, "month", "2026-03-01T00:00:00Z", "pg").path("interruptions").asLong()).isEqualTo(2);
    }

    @Test
    void episodesTransientsAndResolveTimes() {
        JsonNode hour = windows.rollup(rollups, "hour", "2026-03-10T11:00:00Z", "tr");
        assertThat(hour.path("episodes").asLong()).isEqualTo(1);
        assertThat(hour.path("transients").asLong()).isEqualTo(1);
        assertThat(hour.path("resolve_ms_sum").asLong()).isEqualTo(180_000);
        assertThat(hour.path("firing_ms").asLong()).isEqualTo(180_000);
        assertThat(hour.path("resolve_hist").path("b15").asLong()).isEqualTo(1);
    }

    @Test
    void anEpisodeAcrossTheWindowBoundaryPairsAndItsMonthAddsBothDays() {
        assertThat(windows.rollup(rollups, "hour", "2026-03-10T23:00:00Z", "x").path("firing_ms").asLong()).isEqualTo(1_800_000);
        JsonNode resolvedHour = windows.rollup(rollups, "hour", "2026-03-11T00:00:00Z", "x");
        assertThat(resolvedHour.path("episodes").asLong()).isEqualTo(1);
        assertThat(resolvedHour.path("resolve_ms_sum").asLong()).isEqualTo(4_500_000);
        assertThat(resolvedHour.path("firing_ms").asLong()).isEqualTo(2_700_000);
        assertThat(resolvedHour.path("events").asLong()).isEqualTo(1);
        assertThat(resolvedHour.path("resolved").asLong()).isEqualTo(1);
        assertThat(resolvedHour.path("urgency").asText()).as("the page's, which it ends").isEqualTo("high");
        JsonNode month = windows.rollup(rollups, "month", "2026-03-01T00:00:00Z", "x");
        assertThat(month.path("firing_ms").asLong()).isEqualTo(4_500_000);
        assertThat(month.path("events").asLong()).isEqualTo(2);
        assertThat(month.path("episodes").asLong()).isEqualTo(1);
    }

    @Test
    void standingCountsWhereTheThresholdWasCrossed() {
        assertThat(windows.rollup(rollups, "hour", "2026-03-11T12:00:00Z", "st").path("standing").asLong()).isEqualTo(1);
        JsonNode day = windows.rollup(rollups, "day", "2026-03-11T00:00:00Z", "st");
        assertThat(day.path("standing").asLong()).isEqualTo(1);
        assertThat(day.path("episodes").asLong()).isEqualTo(1);
        assertThat(day.path("resolve_ms_sum").asLong()).isEqualTo(26 * 3_600_000L);
        assertThat(windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "st").path("standing").asLong()).isZero();
    }

    @Test
    void flappingCorrelatedAndIgnored() {
        assertThat(windows.rollup(rollups, "hour", "2026-03-10T13:00:00Z", "fl").path("flaps").asLong()).isEqualTo(4);
        assertThat(windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "c1").path("correlated").asLong()).isZero();
        assertThat(windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "c2").path("correlated").asLong()).isEqualTo(1);
        assertThat(windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "c3").path("correlated").asLong()).isZero();
        JsonNode ignored = windows.rollup(rollups, "day", "2026-03-10T00:00:00Z", "ig");
        assertThat(ignored.path("ignored").asLong()).isEqualTo(1);
        assertThat(ignored.path("info").asLong()).isEqualTo(1);
        assertThat(ignored.path("urgency").asText()).isEqualTo("ignore");
    }

    @Test
    void eachFiringGetsOneVerdictWhereItBecameFinal() {
        // pg: 3 duplicates when they fire, the first standing a day later (no resolution); tr transient; st standing;
        // fl flapping; c2 correlated. Actionable: c1 and c3 once their flap window passed (after 16:00 and 16:20),
        // x when it resolved on the next day, the verdict carried across the window boundary.
        assertThat(verdict("day", "2026-03-10T00:00:00Z", "pg")).containsExactly(3L, 0L);
        assertThat(verdict("hour", "2026-03-11T10:00:00Z", "pg")).containsExactly(1L, 0L);
        assertThat(verdict("hour", "2026-03-10T11:00:00Z", "tr")).containsExactly(1L, 0L);
        assertThat(verdict("hour", "2026-03-11T12:00:00Z", "st")).containsExactly(1L, 0L);
        assertThat(verdict("day", "2026-03-10T00:00:00Z", "fl")).containsExactly(2L, 0L);
        assertThat(verdict("day", "2026-03-10T00:00:00Z", "c2")).containsExactly(1L, 0L);
        assertThat(verdict("hour", "2026-03-10T16:00:00Z", "c1")).containsExactly(1L, 1L);
        assertThat(verdict("hour", "2026-03-10T16:00:00Z", "c3")).containsExactly(1L, 1L);
        assertThat(verdict("day", "2026-03-10T00:00:00Z", "x")).containsExactly(0L, 0L);
        assertThat(verdict("hour", "2026-03-11T00:00:00Z", "x")).containsExactly(1L, 1L);
        long[] month = new long[3];
        rollups.values().stream().filter(r -> r.path("interval").asText().equals("month")).forEach(r -> {
            month[0] += r.path("firing").asLong();
            month[1] += r.path("classified").asLong();
            month[2] += r.path("actionable").asLong();
        });
        assertThat(month).as("firing, classified, actionable of the month").containsExactly(14, 14, 5);
    }

    /** {@code classified} and {@code actionable} of one rollup, 0 where there is none. */
    private List<Long> verdict(String interval, String bucketStart, String fingerprint) {
        JsonNode rollup = windows.rollup(rollups, interval, bucketStart, fingerprint);
        return List.of(rollup.path("classified").asLong(), rollup.path("actionable").asLong());
    }

    /** The page is the incident's, not the warning's duplicate: its episode, resolve time and verdict are its own. */
    @Test
    void aPageEscalatingAWarningOpensItsOwnEpisode() {
        Map<String, JsonNode> hour = new java.util.TreeMap<>();
        rollups.values().stream().filter(r -> r.path("interval").asText().equals("hour")
                        && r.path("bucket_start").asText().equals("2026-03-10T18:00:00Z") && r.path("fingerprint").asText().equals("esc"))
                .forEach(r -> hour.put(r.path("urgency").asText(), r));
        assertThat(hour).containsOnlyKeys("low", "high");
        JsonNode warning = hour.get("low");
        JsonNode page = hour.get("high");
        assertThat(warning.path("firing_ms").asLong()).isEqualTo(600_000);
        assertThat(warning.path("episodes").asLong()).isZero();
        assertThat(page.path("pages").asLong()).isEqualTo(1);
        assertThat(page.path("duplicates").asLong()).isZero();
        assertThat(page.path("episodes").asLong()).isEqualTo(1);
        assertThat(page.path("resolve_ms_sum").asLong()).isEqualTo(1_800_000);
        assertThat(page.path("firing_ms").asLong()).isEqualTo(1_800_000);
        // Both actionable once their flap windows have passed: the page, and the warning that foretold it.
        for (String urgency : List.of("low", "high")) {
            long actionable = rollups.values().stream().filter(r -> r.path("interval").asText().equals("day")
                    && r.path("fingerprint").asText().equals("esc") && r.path("urgency").asText().equals(urgency))
                    .mapToLong(r -> r.path("actionable").asLong()).sum();
            assertThat(actionable).as(urgency).isEqualTo(1);
        }
    }

    @Test
    void rerunningAWindowChangesNothing() {
        RunSummary rerun = windows.run("--from", "2026-03-10", "--to", "2026-03-11");
        assertThat(windows.rollups()).isEqualTo(rollups);
        windows.assertRewroteAll(rerun, rollups);
    }
}
