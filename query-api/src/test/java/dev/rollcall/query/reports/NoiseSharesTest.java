package dev.rollcall.query.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;

/**
 * The shares of {@code /v1/noise} from summed counts, including sums the job really writes at bucket edges:
 * flaps counted in the bucket of the change that completes a flapping run, standing where the threshold is
 * crossed.
 */
class NoiseSharesTest {

    private static final List<String> SHARES = List.of("duplicates_share", "correlated_share", "flapping_share",
            "transient_share", "standing_share", "ignored_share", "low_urgency_share", "actionable_share");

    @Test
    void flapsRecognisedAfterTheirChangesStayWithinOne() {
        // hour 11: the resolution that completes a run of four changes begun in hour 10
        Map<String, Object> shares = shares(sums(Map.of("events", 1L, "resolved", 1L, "episodes", 1L, "flaps", 4L)));
        assertThat(shares.get("flapping_share")).isEqualTo(1.0);
        assertThat(shares.get("duplicates_share")).isNull();
        assertWithinZeroAndOne(shares);
    }

    @Test
    void standingCountedWhereTheThresholdIsCrossedStaysWithinOne() {
        // a day with one firing and two episodes of earlier days passing 24 h
        Map<String, Object> shares = shares(sums(Map.of("events", 1L, "firing", 1L, "standing", 2L)));
        assertThat(shares.get("standing_share")).isEqualTo(1.0);
        assertWithinZeroAndOne(shares);

        Map<String, Object> noFirings = shares(sums(Map.of("events", 1L, "resolved", 1L, "standing", 2L)));
        assertThat(noFirings.get("standing_share")).isNull();
    }

    @Test
    void flappingIsOfStateChangesAndStandingOfOpenedEpisodes() {
        // 8 firings, one a duplicate: 7 episodes opened, 8 resolved, 15 state changes
        Map<String, Object> shares = shares(sums(Map.of("events", 16L, "firing", 8L, "resolved", 8L, "episodes", 8L,
                "duplicates", 1L, "correlated", 1L, "flaps", 2L, "transients", 1L, "standing", 1L)));
        assertThat(shares.get("flapping_share")).isEqualTo(0.1333);
        assertThat(shares.get("standing_share")).isEqualTo(0.1429);
        assertThat(shares.get("duplicates_share")).isEqualTo(0.125);
        assertThat(shares.get("transient_share")).isEqualTo(0.125);
        assertWithinZeroAndOne(shares);
    }

    @Test
    void everyShareIsNullWithoutItsDenominator() {
        assertThat(shares(sums(Map.of())).values()).containsOnlyNulls();
        // only duplicate firings: no episode opened, nothing changed state
        Map<String, Object> duplicates = shares(sums(Map.of("events", 2L, "firing", 2L, "duplicates", 2L, "standing", 1L, "flaps", 1L)));
        assertThat(duplicates.get("flapping_share")).isNull();
        assertThat(duplicates.get("standing_share")).isNull();
        assertThat(duplicates.get("duplicates_share")).isEqualTo(1.0);
    }

    /** DESIGN's "share of ignore/low": the events that page no one now, of all events. */
    @Test
    void ignoredAndLowUrgencyAreSharesOfEvents() {
        ObjectNode sums = sums(Map.of("events", 8L, "firing", 4L, "ignored", 2L));
        sums.putObject("low_urgency").putObject("events").put("value", 3.0);
        Map<String, Object> row = row(sums);
        assertThat(row.get("low_urgency")).isEqualTo(3L);
        assertThat(row.get("low_urgency_share")).isEqualTo(0.375);
        assertThat(row.get("ignored_share")).isEqualTo(0.25);
        assertThat(row(sums(Map.of("events", 8L))).get("low_urgency_share")).as("no low-urgency rollup").isEqualTo(0.0);
    }

    @Test
    void actionableIsOfTheFiringsWhoseVerdictIsFinal() {
        // 4 firings, 3 of them classified (one still open), 1 actionable: noise categories overlap in the other 2,
        // which the job counted once each.
        Map<String, Object> row = row(sums(Map.of("events", 6L, "firing", 4L, "episodes", 2L, "duplicates", 1L,
                "correlated", 2L, "transients", 1L, "classified", 3L, "actionable", 1L)));
        assertThat(row.get("classified")).isEqualTo(3L);
        assertThat(row.get("actionable")).isEqualTo(1L);
        assertThat(row.get("actionable_share")).isEqualTo(0.3333);
        assertThat(row(sums(Map.of("events", 1L, "firing", 1L))).get("actionable_share")).as("nothing classified yet").isNull();
    }

    @Test
    void rollupsWithoutVerdictsFallBackToTheOldLowerBoundAtLeastZero() {
        // Written before template v5: no classified or actionable. Of their 5 attended firings 1 duplicate,
        // 3 correlated and 2 transients (overlapping): 5 - 6 is floored at 0, of 6 firings (the ignored one too).
        ObjectNode legacy = sums(Map.of("events", 8L, "firing", 6L, "duplicates", 1L, "correlated", 3L, "transients", 2L));
        withoutVerdicts(legacy, Map.of("firing", 6L), Map.of("firing", 5L, "duplicates", 1L, "correlated", 3L, "transients", 2L));
        Map<String, Object> old = row(legacy);
        assertThat(old.get("actionable")).isEqualTo(0L);
        assertThat(old.get("classified")).isEqualTo(6L);
        assertThat(old.get("actionable_share")).isEqualTo(0.0);

        // The same range with newer rollups too (2 classified, 2 actionable): each part counted its own way.
        ObjectNode mixed = sums(Map.of("events", 11L, "firing", 9L, "classified", 2L, "actionable", 2L));
        withoutVerdicts(mixed, Map.of("firing", 4L), Map.of("firing", 4L, "duplicates", 1L));
        Map<String, Object> both = row(mixed);
        assertThat(both.get("classified")).isEqualTo(6L);
        assertThat(both.get("actionable")).isEqualTo(5L);
        assertThat(both.get("actionable_share")).isEqualTo(0.8333);
    }

    private static void assertWithinZeroAndOne(Map<String, Object> shares) {
        shares.forEach((name, share) -> {
            if (share != null) {
                assertThat((Double) share).as(name).isBetween(0.0, 1.0);
            }
        });
    }

    /** An aggregation bucket as OpenSearch answers it over rollups that all have verdicts: every count a sum. */
    private static ObjectNode sums(Map<String, Long> counts) {
        ObjectNode bucket = ApiJson.object();
        for (String count : NoiseReport.COUNTS) {
            bucket.putObject(count).put("value", (double) counts.getOrDefault(count, 0L));
        }
        withoutVerdicts(bucket, Map.of(), Map.of());
        return bucket;
    }

    /** The sums over the bucket's rollups without verdicts: all of them, and those not ignored ({@code attended}). */
    private static void withoutVerdicts(ObjectNode bucket, Map<String, Long> all, Map<String, Long> attended) {
        ObjectNode legacy = bucket.putObject("without_verdicts");
        legacy.putObject("firing").put("value", (double) all.getOrDefault("firing", 0L));
        ObjectNode notIgnored = legacy.putObject("attended");
        for (String count : List.of("firing", "duplicates", "correlated", "transients")) {
            notIgnored.putObject(count).put("value", (double) attended.getOrDefault(count, 0L));
        }
    }

    private static Map<String, Object> row(ObjectNode sums) {
        List<Object> row = NoiseReport.row("total", null, sums);
        Map<String, Object> named = new LinkedHashMap<>();
        for (int i = 0; i < row.size(); i++) {
            named.put(NoiseReport.COLUMNS.get(i), row.get(i));
        }
        return named;
    }

    private static Map<String, Object> shares(ObjectNode sums) {
        Map<String, Object> row = row(sums);
        Map<String, Object> shares = new LinkedHashMap<>();
        SHARES.forEach(name -> shares.put(name, row.get(name)));
        return shares;
    }
}
