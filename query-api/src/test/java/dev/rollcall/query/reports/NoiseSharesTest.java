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
            "transient_share", "standing_share", "ignored_share", "actionable_share");

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

    private static void assertWithinZeroAndOne(Map<String, Object> shares) {
        shares.forEach((name, share) -> {
            if (share != null) {
                assertThat((Double) share).as(name).isBetween(0.0, 1.0);
            }
        });
    }

    /** An aggregation bucket as OpenSearch answers it: every count a sum, attended counts of urgency high and low. */
    private static ObjectNode sums(Map<String, Long> counts) {
        ObjectNode bucket = ApiJson.object();
        ObjectNode attended = bucket.putObject("attended");
        for (String count : NoiseReport.COUNTS) {
            double value = counts.getOrDefault(count, 0L);
            bucket.putObject(count).put("value", value);
            attended.putObject(count).put("value", value);
        }
        return bucket;
    }

    private static Map<String, Object> shares(ObjectNode sums) {
        List<Object> row = NoiseReport.row("total", null, sums);
        Map<String, Object> shares = new LinkedHashMap<>();
        SHARES.forEach(name -> shares.put(name, row.get(NoiseReport.COLUMNS.indexOf(name))));
        return shares;
    }
}
