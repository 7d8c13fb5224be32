package dev.rollcall.aggregate;

import static dev.rollcall.aggregate.JobFixture.alert;
import static dev.rollcall.core.alert.AlertState.FIRING;
import static dev.rollcall.core.alert.AlertState.RESOLVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.Alert;
import dev.rollcall.servers.junit.RealServers;
import dev.rollcall.servers.junit.TestOpenSearch;

/**
 * Month ends of a leap year, hand-checked: episodes straddling midnight of Feb 29 and of Jan 31 (one of them by a
 * millisecond), a firing ingested after the incremental run that already counted its resolution, and an event
 * delivered twice. Hourly runs end where one run over everything does, and every month is the sum of its days and
 * hours.
 */
@RealServers
class MonthEndIT {

    static final List<Alert> ON_TIME = List.of(
            // fired in the last millisecond of Feb 29, resolved in the first of March
            alert("a1", "2028-02-29T23:59:59.999Z", "2028-02-29T23:59:59.999Z", "a", FIRING, "high", "sa"),
            alert("a2", "2028-03-01T00:00:00.000Z", "a", RESOLVED, "high", "sa"),
            // 22:00 Feb 29 to 02:00 March 1
            alert("b1", "2028-02-29T22:00:00Z", "b", FIRING, "high", "sb"),
            alert("b2", "2028-03-01T02:00:00Z", "b", RESOLVED, "high", "sb"),
            // a resolution ingested on time whose firing (below) comes late
            alert("c2", "2028-03-01T01:00:00Z", "2028-03-01T01:00:05Z", "c", RESOLVED, "high", "sc"),
            // 23:00 Jan 31 to 01:00 Feb 1
            alert("d1", "2028-01-31T23:00:00Z", "d", FIRING, "high", "sd"),
            alert("d2", "2028-02-01T01:00:00Z", "d", RESOLVED, "high", "sd"),
            // delivered twice (below): at-least-once
            alert("e1", "2028-02-29T10:00:00Z", "e", FIRING, "high", "se"),
            alert("e2", "2028-02-29T10:20:00Z", "e", RESOLVED, "high", "se"));
    static final List<Alert> LATE = List.of(
            alert("c1", "2028-02-29T23:00:00Z", "2028-03-01T05:00:00Z", "c", FIRING, "high", "sc"),
            alert("e1", "2028-02-29T10:00:00Z", "2028-03-01T05:00:00Z", "e", FIRING, "high", "se"));

    @Test
    void monthEndsOfALeapYearAddUpAndALateFiringPairsWithItsCountedResolution(TestOpenSearch openSearch) {
        JobFixture hourly = new JobFixture(openSearch, "monthend");
        hourly.store(ON_TIME);
        hourly.run("2028-03-01T03:20:00Z", List.of(), "--incremental");
        Map<String, JsonNode> before = hourly.rollups();
        assertThat(hourly.rollup(before, "month", "2028-03-01T00:00:00Z", "c").path("resolved").asLong()).isEqualTo(1);
        assertThat(hourly.rollup(before, "month", "2028-03-01T00:00:00Z", "c").path("episodes").asLong()).isZero();

        hourly.store(LATE);
        hourly.run("2028-03-01T06:20:00Z", List.of(), "--incremental");
        Map<String, JsonNode> rollups = hourly.rollups();

        // a: one millisecond of firing in February, a 1 ms transient episode in March
        expect(hourly, rollups, "month", "2028-02-01T00:00:00Z", "a", "firing", 1, "pages", 1, "firing_ms", 1, "episodes", 0);
        expect(hourly, rollups, "day", "2028-02-29T00:00:00Z", "a", "firing_ms", 1);
        expect(hourly, rollups, "month", "2028-03-01T00:00:00Z", "a", "episodes", 1, "resolve_ms_sum", 1, "transients", 1, "resolved", 1,
                "firing_ms", 0, "firing", 0);
        expect(hourly, rollups, "month", "2028-02-01T00:00:00Z", "b", "firing_ms", 7_200_000, "episodes", 0);
        expect(hourly, rollups, "month", "2028-03-01T00:00:00Z", "b", "firing_ms", 7_200_000, "episodes", 1, "resolve_ms_sum", 14_400_000);
        expect(hourly, rollups, "month", "2028-02-01T00:00:00Z", "c", "firing", 1, "firing_ms", 3_600_000);
        expect(hourly, rollups, "month", "2028-03-01T00:00:00Z", "c", "episodes", 1, "resolve_ms_sum", 7_200_000, "firing_ms", 3_600_000,
                "resolved", 1);
        expect(hourly, rollups, "month", "2028-01-01T00:00:00Z", "d", "firing", 1, "firing_ms", 3_600_000);
        expect(hourly, rollups, "month", "2028-02-01T00:00:00Z", "d", "episodes", 1, "resolve_ms_sum", 7_200_000, "firing_ms", 3_600_000);
        expect(hourly, rollups, "month", "2028-02-01T00:00:00Z", "e", "events", 2, "firing", 1, "pages", 1, "episodes", 1);

        for (String fingerprint : List.of("a", "b", "c", "d", "e")) {
            for (String field : List.of("events", "firing", "resolved", "pages", "interruptions", "firing_ms", "episodes", "resolve_ms_sum",
                    "transients", "standing", "classified", "actionable")) {
                for (String month : List.of("2028-01", "2028-02", "2028-03")) {
                    long inMonth = sum(rollups, "month", month, fingerprint, field);
                    assertThat(sum(rollups, "day", month, fingerprint, field)).as("%s %s %s of days", fingerprint, month, field).isEqualTo(inMonth);
                    assertThat(sum(rollups, "hour", month, fingerprint, field)).as("%s %s %s of hours", fingerprint, month, field).isEqualTo(inMonth);
                }
            }
        }

        JobFixture once = new JobFixture(openSearch, "monthend-once");
        List<Alert> all = new ArrayList<>(ON_TIME);
        all.addAll(LATE);
        once.store(all);
        once.run("2028-03-01T06:20:00Z", List.of(), "--from", "2028-01-31T00:00:00Z", "--to", "2028-03-01T06:00:00Z");
        assertThat(rollups).isEqualTo(once.rollups());
    }

    private static void expect(JobFixture fixture, Map<String, JsonNode> rollups, String interval, String bucket, String fingerprint, Object... pairs) {
        JsonNode doc = fixture.rollup(rollups, interval, bucket, fingerprint);
        for (int i = 0; i < pairs.length; i += 2) {
            assertThat(doc.path((String) pairs[i]).asLong()).as("%s %s %s %s", interval, bucket, fingerprint, pairs[i])
                    .isEqualTo(((Number) pairs[i + 1]).longValue());
        }
    }

    private static long sum(Map<String, JsonNode> rollups, String interval, String month, String fingerprint, String field) {
        return rollups.values().stream().filter(d -> d.path("interval").asText().equals(interval)
                        && d.path("bucket_start").asText().startsWith(month) && d.path("fingerprint").asText().equals(fingerprint))
                .mapToLong(d -> d.path(field).asLong()).sum();
    }
}
