package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.JobWatermark;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** The watermark records when collecting began, which the on-call report needs to tell whole months from partial ones. */
@RealServers
class CollectingSinceIT {

    @Test
    void theFirstRunRecordsTheEarliestIngestionAndLaterRunsKeepItWhenThoseEventsAreGone(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "collecting");
        // The first delivery after connecting Alertmanager: one alert has been firing since January.
        fixture.store(List.of(
                alert("old", "2026-01-05T08:00:00Z", "2026-03-10T09:00:05Z", "fp-old", FIRING, "high", "pay"),
                alert("new", "2026-03-10T09:30:00Z", "2026-03-10T09:30:01Z", "fp-new", FIRING, "high", "pay")));

        assertThat(fixture.exec("2026-03-10T12:20:00Z", List.of(), "--incremental").code()).isZero();

        assertThat(fixture.rollups().values().stream().anyMatch(r -> r.path("bucket_start").asText().startsWith("2026-01-05")))
                .as("the old alert is rolled up in January").isTrue();
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).asText())
                .as("collecting began when the first event arrived, not with January's rollups").isEqualTo("2026-03-10T09:00:05Z");

        // The events' retention deletes the first event; collecting did not begin any later for it.
        TestOpenSearch.Response deleted = openSearch.request("POST", "/" + fixture.names.eventsPattern() + "/_delete_by_query?refresh=true",
                "{\"query\":{\"ids\":{\"values\":[\"old\"]}}}");
        assertThat(AlertJson.readTree(deleted.body()).path("deleted").asLong()).as(deleted.body()).isEqualTo(1);
        fixture.store(List.of(alert("later", "2026-03-11T09:30:00Z", "2026-03-11T09:30:01Z", "fp-new", FIRING, "high", "pay")));
        JobFixture.JobExit second = fixture.exec("2026-03-11T12:20:00Z", List.of(), "--incremental");

        assertThat(second.code()).isZero();
        second.line("watermark_moved");
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).asText()).isEqualTo("2026-03-10T09:00:05Z");
    }

    @Test
    void runsBeforeAnyEventMarkTheWatermarkSoThatAnOldAlertArrivingLaterDoesNotDateCollecting(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "collectingempty");
        // The stack is deployed and its schedule runs before any source is connected.
        assertThat(fixture.exec("2026-03-09T12:20:00Z", List.of(), "--incremental").code()).isZero();
        assertThat(fixture.watermark().has(JobWatermark.COLLECTING_SINCE)).as("the field, to say this job wrote it").isTrue();
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).isNull()).isTrue();

        fixture.store(List.of(alert("old", "2026-01-05T08:00:00Z", "2026-03-10T09:00:05Z", "fp-old", FIRING, "high", "pay")));
        assertThat(fixture.exec("2026-03-10T12:20:00Z", List.of(), "--incremental").code()).isZero();

        assertThat(fixture.rollups().values().stream().anyMatch(r -> r.path("bucket_start").asText().startsWith("2026-01-05")))
                .as("the old alert is rolled up in January").isTrue();
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).asText()).isEqualTo("2026-03-10T09:00:05Z");
    }

    @Test
    void historyLoadedAtOnceTakesTheStartTheDeploymentGives(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "collectingset");
        // A month of history loaded in one go, as local mode's demo does: every event was ingested today.
        fixture.store(List.of(
                alert("h1", "2026-02-10T08:00:00Z", "2026-03-10T09:00:00Z", "fp-a", FIRING, "high", "pay"),
                alert("h2", "2026-03-09T08:00:00Z", "2026-03-10T09:00:01Z", "fp-a", FIRING, "high", "pay")));

        assertThat(fixture.exec("2026-03-10T12:20:00Z", List.of("ROLLCALL_COLLECTING_SINCE", "2026-02-10T00:00:00Z"), "--incremental")
                .code()).isZero();

        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).asText()).isEqualTo("2026-02-10T00:00:00Z");

        // Once recorded, it stays: a different setting later does not move it.
        fixture.store(List.of(alert("h3", "2026-03-10T12:30:00Z", "2026-03-10T12:30:01Z", "fp-a", FIRING, "high", "pay")));
        assertThat(fixture.exec("2026-03-10T14:20:00Z", List.of("ROLLCALL_COLLECTING_SINCE", "2026-01-01T00:00:00Z"), "--incremental")
                .code()).isZero();
        assertThat(fixture.watermark().path(JobWatermark.COMPUTED_UNTIL).asText()).isEqualTo("2026-03-10T14:00:00Z");
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).asText()).isEqualTo("2026-02-10T00:00:00Z");
    }

    /**
     * A look OpenSearch refused records nothing it could regret: this job's first watermark still says it wrote it (so
     * the next look is not an older job's), and an older job's watermark keeps no field (so the next look is one again).
     */
    @Test
    void aRefusedLookKeepsWhoseWatermarkItIs(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "collectingrefused");
        StateIndex state = fixture.stateIndex();
        WatermarkStore watermarks = new WatermarkStore(state);
        List<Boolean> asked = new ArrayList<>();
        WatermarkStore.CollectingSinceSource refusing = upgrade -> {
            asked.add(upgrade);
            return WatermarkStore.Lookup.REFUSED;
        };
        Instant now = Instant.parse("2026-03-10T12:20:00Z");

        watermarks.advance(new WatermarkStore.Watermark(now, Instant.parse("2026-03-10T12:00:00Z")), refusing, "first", now);
        assertThat(fixture.watermark().has(JobWatermark.COLLECTING_SINCE)).isTrue();
        assertThat(fixture.watermark().path(JobWatermark.COLLECTING_SINCE).isNull()).isTrue();

        TestOpenSearch.Response older = openSearch.request("PUT", "/" + fixture.names.stateIndex() + "/_doc/" + WatermarkStore.ID + "?refresh=true",
                "{\"kind\":\"watermark\",\"ingested_before\":\"2026-03-10T13:00:00Z\",\"computed_until\":\"2026-03-10T13:00:00Z\"}");
        assertThat(older.status()).as(older.body()).isIn(200, 201);
        Instant later = Instant.parse("2026-03-10T14:20:00Z");
        watermarks.advance(new WatermarkStore.Watermark(later, Instant.parse("2026-03-10T14:00:00Z")), refusing, "second", later);
        assertThat(fixture.watermark().path(JobWatermark.COMPUTED_UNTIL).asText()).isEqualTo("2026-03-10T14:00:00Z");
        assertThat(fixture.watermark().has(JobWatermark.COLLECTING_SINCE)).isFalse();
        assertThat(asked).as("fresh, then an older job's").containsExactly(false, true);

        // A run overtaken by a later plan writes nothing, and does not look either.
        WatermarkStore.Watermark stored = watermarks.advance(new WatermarkStore.Watermark(now, Instant.parse("2026-03-10T12:00:00Z")),
                refusing, "overtaken", now);
        assertThat(stored.computedUntil()).isEqualTo(Instant.parse("2026-03-10T14:00:00Z"));
        assertThat(asked).containsExactly(false, true);
    }

    @Test
    void aWatermarkStoredWithoutItTakesTheEarliestDayRollupWhereThatIsEarlier(TestOpenSearch openSearch) {
        JobFixture fixture = new JobFixture(openSearch, "collectingup");
        // Collected since February; the events ingested before March are gone with the retention, their rollups are not.
        fixture.store(List.of(alert("feb", "2026-02-20T10:00:00Z", "2026-02-20T10:00:01Z", "fp-a", FIRING, "high", "pay")));
        assertThat(fixture.exec("2026-03-01T00:30:00Z", List.of(), "--from", "2026-02-20T00:00:00Z", "--to", "2026-02-21T00:00:00Z").code())
                .isZero();
        openSearch.request("POST", "/" + fixture.names.eventsPattern() + "/_delete_by_query?refresh=true", "{\"query\":{\"match_all\":{}}}");
        fixture.store(List.of(alert("mar", "2026-03-14T10:00:00Z", "2026-03-14T10:00:01Z", "fp-a", FIRING, "high", "pay")));
        // The watermark an older job wrote: no collecting_since.
        TestOpenSearch.Response older = openSearch.request("PUT", "/" + fixture.names.stateIndex() + "/_doc/" + WatermarkStore.ID + "?refresh=true",
                "{\"kind\":\"watermark\",\"ingested_before\":\"2026-03-14T09:00:00Z\",\"computed_until\":\"2026-03-14T09:00:00Z\","
                        + "\"job_id\":\"older\",\"updated_at\":\"2026-03-14T09:05:00Z\"}");
        assertThat(older.status()).as(older.body()).isIn(200, 201);

        assertThat(fixture.exec("2026-03-14T12:20:00Z", List.of(), "--incremental").code()).isZero();

        JsonNode watermark = fixture.watermark();
        assertThat(watermark.path(JobWatermark.COMPUTED_UNTIL).asText()).isEqualTo("2026-03-14T12:00:00Z");
        assertThat(watermark.path(JobWatermark.COLLECTING_SINCE).asText()).isEqualTo("2026-02-20T00:00:00Z");
    }
}
