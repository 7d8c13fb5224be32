package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.EventsRetention;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** No run recomputes buckets whose events the retention may have deleted, nor hours that have not happened yet. */
@RealServers
class WindowLimitsIT {

    private static final List<String> THIRTY_DAYS = List.of(EventsRetention.VARIABLE, "30");

    @Test
    void rollupsOlderThanTheEventsRetentionSurviveTheirEventsBeingDeleted(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "retention");
        fixture.store(List.of(
                alert("o1", "2026-01-10T10:10:00Z", "old", FIRING, "high", "pay"),
                alert("o2", "2026-01-10T10:40:00Z", "old", RESOLVED, "high", "pay"),
                alert("n1", "2026-03-19T10:10:00Z", "new", FIRING, "high", "pay"),
                alert("n2", "2026-03-19T10:30:00Z", "new", RESOLVED, "high", "pay")));
        // Rolled up back when January was within the retention, in one run.
        fixture.run("2026-03-20T14:20:00Z", List.of("ROLLCALL_JOB_MAX_WINDOW", "100d"), "--incremental");
        assertThat(fixture.watermark().path("computed_until").asText()).isEqualTo("2026-03-20T14:00:00Z");
        Map<String, JsonNode> january = january(fixture.rollups());
        assertThat(january).isNotEmpty();

        // The lifecycle policy deletes January's events; a source then delivers one more January event, very late,
        // which creates the month's index again.
        openSearch.request("DELETE", "/" + fixture.names.eventsIndex(Instant.parse("2026-01-10T00:00:00Z")), null);
        fixture.store(List.of(alert("late", "2026-01-12T09:00:00Z", "2026-03-20T15:00:00Z", "old-2", FIRING, "high", "pay")));

        JobFixture.LoggedRun logged = fixture.runLogged("2026-03-20T16:20:00Z", THIRTY_DAYS, "--incremental");
        RunSummary incremental = logged.summary();
        // Outside the retention nothing is computed, so the late event does not start the run 30 days back for nothing.
        assertThat(incremental.emitFrom()).as("where the last run stopped").isEqualTo(Instant.parse("2026-03-20T14:00:00Z"));
        assertThat(incremental.watermarkMoved()).isTrue();
        assertThat(fixture.watermark().path("computed_until").asText()).isEqualTo("2026-03-20T16:00:00Z");
        assertThat(logged.lines("late_events_past_retention")).singleElement().satisfies(line -> {
            assertThat(line.path("level").asText()).isEqualTo("warn");
            assertThat(line.path("events").asLong()).isEqualTo(1);
            assertThat(line.path("oldest_occurred_at").asText()).isEqualTo("2026-01-12T09:00:00Z");
            assertThat(line.path("newest_occurred_at").asText()).isEqualTo("2026-01-12T09:00:00Z");
            assertThat(line.path("retention_starts").asText()).isEqualTo("2026-02-18T17:00:00Z");
            assertThat(line.path("passed_before").asText()).as("the snapshot a run starting there replays from").isEqualTo("2026-02-18T00:00:00Z");
        });
        assertThat(january(fixture.rollups())).isEqualTo(january);

        RunSummary window = fixture.run("2026-03-20T16:30:00Z", THIRTY_DAYS, "--from", "2026-01-01", "--to", "2026-02-01");
        assertThat(window.emitFrom()).isEqualTo(window.end());
        assertThat(january(fixture.rollups())).isEqualTo(january);

        // What the limit prevents: the same window without it recomputes January from the one event left.
        fixture.run("2026-03-20T16:40:00Z", List.of(), "--from", "2026-01-01", "--to", "2026-02-01");
        assertThat(january(fixture.rollups())).isNotEqualTo(january);

        // A late event within the retention starts the next run at its hour, as ever.
        fixture.store(List.of(alert("late-kept", "2026-03-01T08:20:00Z", "2026-03-20T16:30:00Z", "kept", FIRING, "high", "pay")));
        JobFixture.LoggedRun within = fixture.runLogged("2026-03-20T17:20:00Z", THIRTY_DAYS, "--incremental");
        assertThat(within.summary().emitFrom()).isEqualTo(Instant.parse("2026-03-01T08:00:00Z"));
        assertThat(within.lines("late_events_past_retention")).isEmpty();
    }

    /**
     * A late resolution just before the retention's start ends an episode that ran on into it: the run starts at the
     * retention's start, whose replay from the day's snapshot reads the resolution, so the hours after it stop counting
     * the alert as firing.
     */
    @Test
    void aLateEventThatARunAtTheRetentionsStartReplaysStartsItThere(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "retention-edge");
        fixture.store(List.of(alert("x1", "2026-02-18T10:00:00Z", "edge", FIRING, "high", "pay")));
        fixture.run("2026-03-20T14:20:00Z", List.of("ROLLCALL_JOB_MAX_WINDOW", "100d"), "--incremental");
        assertThat(fixture.rollup(fixture.rollups(), "hour", "2026-02-18T17:00:00Z", "edge").path("firing_ms").asLong())
                .as("open, before the resolution arrives").isEqualTo(3_600_000);

        fixture.store(List.of(alert("x2", "2026-02-18T16:30:00Z", "2026-03-20T15:00:00Z", "edge", RESOLVED, "high", "pay")));
        JobFixture.LoggedRun logged = fixture.runLogged("2026-03-20T16:20:00Z", THIRTY_DAYS, "--incremental");

        assertThat(logged.summary().emitFrom()).as("the retention's start").isEqualTo(Instant.parse("2026-02-18T17:00:00Z"));
        assertThat(logged.summary().replayFrom()).as("replayed from before the resolution").isBeforeOrEqualTo(Instant.parse("2026-02-18T16:00:00Z"));
        assertThat(logged.lines("late_events_past_retention")).isEmpty();
        assertThat(fixture.rollups().values()).as("no hour from the retention's start on counts the resolved alert as firing")
                .noneMatch(d -> d.path("fingerprint").asText().equals("edge") && d.path("interval").asText().equals("hour")
                        && !Instant.parse(d.path("bucket_start").asText()).isBefore(Instant.parse("2026-02-18T17:00:00Z")));
    }

    /** A first run (no watermark yet) over a store older than the retention: old events are not late ones. */
    @Test
    void aFirstRunSaysNothingOfEventsOlderThanTheRetention(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "retention-first");
        fixture.store(List.of(alert("j1", "2026-01-10T10:10:00Z", "jan", FIRING, "high", "pay"),
                alert("m1", "2026-03-19T10:10:00Z", "mar", FIRING, "high", "pay")));
        JobFixture.LoggedRun first = fixture.runLogged("2026-03-20T14:20:00Z", THIRTY_DAYS, "--incremental");
        assertThat(first.lines("late_events_past_retention")).isEmpty();
        assertThat(first.summary().emitFrom()).as("the earliest event within the retention").isEqualTo(Instant.parse("2026-03-19T10:00:00Z"));
    }

    @Test
    void aWindowReachingPastNowStopsBeforeTheCurrentHour(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "future");
        fixture.store(List.of(alert("f1", "2026-03-20T10:10:00Z", "open", FIRING, "high", "pay")));

        RunSummary run = fixture.run("2026-03-20T14:20:00Z", List.of(), "--from", "2026-03-20", "--to", "2026-03-22");

        assertThat(run.end()).isEqualTo(Instant.parse("2026-03-20T14:00:00Z"));
        Map<String, JsonNode> rollups = fixture.rollups();
        assertThat(rollups.values()).as("no hour rollups for hours that have not happened")
                .noneMatch(d -> d.path("interval").asText().equals("hour")
                        && !Instant.parse(d.path("bucket_start").asText()).isBefore(run.end()));
        // 10:10 to 14:00, not to midnight: the open episode is charged only for the time that has passed.
        assertThat(fixture.rollup(rollups, "day", "2026-03-20T00:00:00Z", "open").path("firing_ms").asLong())
                .isEqualTo(230 * 60_000L);
    }

    @Test
    void aRunOverAMonthNothingHasArrivedInYetCarriesOnWhatIsOpen(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "quiet");
        fixture.store(List.of(alert("q1", "2026-02-28T22:10:00Z", "open", FIRING, "high", "pay")));
        fixture.run("2026-03-01T02:20:00Z", List.of(), "--incremental");

        // The next hour lies in March, whose index does not exist: there is nothing to read, which is no failure.
        RunSummary quiet = fixture.run("2026-03-01T03:20:00Z", List.of(), "--incremental");

        assertThat(quiet.emitFrom()).isEqualTo(Instant.parse("2026-03-01T02:00:00Z"));
        assertThat(quiet.watermarkMoved()).isTrue();
        assertThat(fixture.rollup(fixture.rollups(), "hour", "2026-03-01T02:00:00Z", "open").path("firing_ms").asLong())
                .as("the alert open since February is still firing").isEqualTo(3_600_000L);
    }

    @Test
    void stateNoRunCanUseAnyMoreIsForgotten(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "forget");
        fixture.store(List.of(
                alert("j1", "2026-01-10T10:10:00Z", "jan", FIRING, "high", "pay"),
                alert("f1", "2026-02-25T10:10:00Z", "feb", FIRING, "high", "pay"),
                alert("f2", "2026-02-25T10:40:00Z", "feb", RESOLVED, "high", "pay")));
        // An array job in early February leaves its plan and completion marks; runs leave a snapshot per day.
        fixture.run("2026-02-01T00:20:00Z", new JobFixture.ArrayChild("feb-job", 0, 2), "--incremental");
        fixture.run("2026-02-01T00:21:00Z", new JobFixture.ArrayChild("feb-job", 1, 2), "--incremental");
        assertThat(stateCount(fixture, "plan", "updated_at", "2026-02-02T00:00:00Z")).isEqualTo(1);
        assertThat(stateCount(fixture, "done", "updated_at", "2026-02-02T00:00:00Z")).isEqualTo(2);
        assertThat(stateCount(fixture, "completion", "updated_at", "2026-02-02T00:00:00Z")).isEqualTo(1);

        fixture.run("2026-03-20T14:20:00Z", List.of(), "--incremental");

        for (String kind : List.of("plan", "done", "completion")) {
            assertThat(stateCount(fixture, kind, "updated_at", "2026-02-18T14:20:00Z")).as(kind + " older than 30 days").isZero();
        }
        assertThat(stateCount(fixture, "carry", "at", "2026-02-15T00:00:00Z")).as("kept where nothing deletes events").isPositive();
        Map<String, JsonNode> before = fixture.rollups();

        RunSummary run = fixture.run("2026-03-20T16:20:00Z", THIRTY_DAYS, "--incremental");

        assertThat(run.watermarkMoved()).isTrue();
        // Raw events before 2026-02-18 are gone, so no run starts before that day; three days' margin, as for hours.
        assertThat(stateCount(fixture, "carry", "at", "2026-02-15T00:00:00Z")).isZero();
        assertThat(stateCount(fixture, "carry", "at", "2026-02-19T00:00:00Z")).as("the bases of recomputes within the retention").isPositive();
        // Which a recompute of everything the retention keeps still finds: the same rollups as before.
        RunSummary recompute = fixture.run("2026-03-20T16:30:00Z", THIRTY_DAYS, "--from", "2026-02-01", "--to", "2026-03-20T14:00:00Z");
        assertThat(recompute.emitFrom()).isEqualTo(Instant.parse("2026-02-18T17:00:00Z"));
        assertThat(fixture.rollups()).isEqualTo(before);
        fixture.assertRewroteAll(recompute, before);
    }

    /** How many state documents of {@code kind} have {@code field} before {@code before}. */
    private static long stateCount(JobFixture fixture, String kind, String field, String before) {
        fixture.openSearch.refresh(fixture.names.stateIndex());
        String body = "{\"query\":{\"bool\":{\"filter\":[{\"term\":{\"kind\":\"" + kind + "\"}},{\"range\":{\"" + field
                + "\":{\"lt\":\"" + before + "\"}}}]}}}";
        return AlertJson.readTree(fixture.openSearch.request("POST", "/" + fixture.names.stateIndex() + "/_count", body).body())
                .path("count").asLong();
    }

    private static Map<String, JsonNode> january(Map<String, JsonNode> rollups) {
        Map<String, JsonNode> found = new TreeMap<>();
        rollups.forEach((id, doc) -> {
            if (doc.path("bucket_start").asText().startsWith("2026-01")) {
                found.put(id, doc);
            }
        });
        return found;
    }
}
