package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/** A run of one interval ({@code --interval day}) writes and sweeps that interval's rollups only, leaving the others as stored. */
@RealServers
class IntervalIT {

    static final String FROM = "2026-10-01";
    static final String TO = "2026-10-03";
    static final String GONE = "fp-5";

    @Test
    void aDayRunRewritesOnlyTheDayRollupsAndTheyEqualThoseOfAnAllRun(TestOpenSearch openSearch) {
        List<Alert> first = JobFixture.randomAlerts(109, 2_000, "2026-10-01T00:00:00Z", 2, 24);
        JobFixture fixture = new JobFixture(openSearch, "interval-day");
        fixture.store(first);
        fixture.run("2026-10-04T01:00:00Z", List.of("AWS_BATCH_JOB_ID", "all-run"), "--from", FROM, "--to", TO);
        // The events change under the stored rollups: more arrive and one fingerprint's are deleted, so every
        // interval's rollups of the window are out of date, and a run that rewrote or swept hours or months would
        // leave them different from what is stored.
        List<Alert> more = JobFixture.randomAlerts(113, 400, "2026-10-01T00:00:00Z", 2, 24);
        fixture.store(more);
        deleteEventsOf(fixture, GONE);
        Map<String, JsonNode> before = fixture.storedRollups();
        assertThat(of(before, Interval.HOUR)).as("the fingerprint's hours are stored").anyMatch(d -> d.path("fingerprint").asText().equals(GONE));

        RunSummary day = fixture.run("2026-10-04T02:00:00Z", List.of("AWS_BATCH_JOB_ID", "day-run"), "--from", FROM, "--to", TO, "--interval", "day");
        Map<String, JsonNode> after = fixture.storedRollups();

        assertThat(day.rollups()).containsEntry(Interval.HOUR, 0L).containsEntry(Interval.MONTH, 0L);
        assertThat(day.rollups().get(Interval.DAY)).isPositive();
        assertThat(byId(after, Interval.HOUR)).as("hours as the all run wrote them").isEqualTo(byId(before, Interval.HOUR));
        assertThat(byId(after, Interval.MONTH)).as("months as the all run wrote them").isEqualTo(byId(before, Interval.MONTH));
        assertThat(of(after, Interval.DAY)).as("every day rewritten by the day run").isNotEmpty()
                .allMatch(d -> d.path("job_id").asText().equals("day-run"));
        assertThat(of(after, Interval.DAY)).as("the deleted fingerprint's days swept").noneMatch(d -> d.path("fingerprint").asText().equals(GONE));
        assertThat(day.staleRollupsDeleted()).as("only its days swept").isEqualTo(of(before, Interval.DAY).stream()
                .filter(d -> d.path("fingerprint").asText().equals(GONE)).count());

        List<Alert> stored = new ArrayList<>(first);
        stored.addAll(more);
        stored.removeIf(a -> a.fingerprint().equals(GONE));
        Map<String, JsonNode> allRun = JobFixture.rollupsOfACleanRun(openSearch, "interval-all", stored, "--from", FROM, "--to", TO);
        assertThat(byId(JobFixture.withoutProvenance(after), Interval.DAY)).isEqualTo(byId(allRun, Interval.DAY));
        // The stored hours being out of date is what makes their staying unchanged above mean something.
        assertThat(byId(JobFixture.withoutProvenance(after), Interval.HOUR)).isNotEqualTo(byId(allRun, Interval.HOUR));
    }

    private static void deleteEventsOf(JobFixture fixture, String fingerprint) {
        TestOpenSearch.Response answer = fixture.openSearch.request("POST", "/" + fixture.names.eventsPattern() + "/_delete_by_query?refresh=true",
                "{\"query\":{\"term\":{\"fingerprint\":\"" + fingerprint + "\"}}}");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(AlertJson.readTree(answer.body()).path("deleted").asLong()).as("events of " + fingerprint + " deleted").isPositive();
    }

    private static List<JsonNode> of(Map<String, JsonNode> rollups, Interval interval) {
        return List.copyOf(byId(rollups, interval).values());
    }

    private static Map<String, JsonNode> byId(Map<String, JsonNode> rollups, Interval interval) {
        Map<String, JsonNode> found = new TreeMap<>();
        rollups.forEach((id, doc) -> {
            if (doc.path("interval").asText().equals(interval.wire())) {
                found.put(id, doc);
            }
        });
        return found;
    }
}
