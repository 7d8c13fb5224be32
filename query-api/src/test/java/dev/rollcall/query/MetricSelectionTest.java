package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.ResolveTimeSketch;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.reports.MetricSelection;

class MetricSelectionTest {

    private static MetricSelection parse(String metrics) {
        return MetricSelection.parse(QueryParameters.of(Map.of("metrics", metrics), List.of("metrics")));
    }

    @Test
    void defaultsAllAndDuplicates() {
        assertThat(MetricSelection.parse(QueryParameters.of(Map.of(), List.of("metrics"))).names()).isEqualTo(MetricSelection.DEFAULT);
        assertThat(parse("all").names()).isEqualTo(MetricSelection.ALL);
        assertThat(parse("PAGES,events,pages").names()).containsExactly("pages", "events");
    }

    @Test
    void onlyTheAggregationsTheMetricsNeedAreRequested() {
        ObjectNode aggs = ApiJson.object();
        parse("pages,resolve_ms_mean").addAggregations(aggs);
        assertThat(aggs.properties()).extracting(Map.Entry::getKey).containsExactly("pages", "resolve_ms_sum", "episodes");

        ObjectNode withQuantiles = ApiJson.object();
        parse("resolve_ms_p90,distinct_alerts").addAggregations(withQuantiles);
        assertThat(withQuantiles.size()).isEqualTo(1 + ResolveTimeSketch.BUCKETS + 2);
        // Rollups written before the bounds were stored read as unbounded, not as bounding every other one.
        assertThat(withQuantiles.path("resolve_ms_min").path("min").path("missing").asLong()).isEqualTo(ResolveTimeSketch.UNKNOWN_MIN);
        assertThat(withQuantiles.path("resolve_ms_max").path("max").path("missing").asLong()).isEqualTo(ResolveTimeSketch.UNKNOWN_MAX);
        assertThat(withQuantiles.path("distinct_alerts").path("filter").path("range").path("events").path("gt").asInt()).isZero();
        assertThat(withQuantiles.path("distinct_alerts").path("aggs").path("fingerprints").path("cardinality").path("field").asText())
                .isEqualTo("fingerprint");
        assertThat(withQuantiles.path("resolve_hist_12").path("sum").path("field").asText()).isEqualTo("resolve_hist.b12");
    }

    @Test
    void derivedMetricsFromSummedBuckets() {
        ObjectNode bucket = ApiJson.object();
        bucket.putObject("episodes").put("value", 7.0);
        bucket.putObject("resolve_ms_sum").put("value", 1_500_000.0);
        bucket.putObject("distinct_alerts").putObject("fingerprints").put("value", 2);
        ResolveTimeSketch sketch = ResolveTimeSketch.empty();
        for (long ms : new long[] {60_000, 60_000, 60_000, 60_000, 60_000, 600_000, 600_000}) {
            sketch = sketch.plus(ms);
        }
        for (int i = 0; i < ResolveTimeSketch.BUCKETS; i++) {
            bucket.putObject("resolve_hist_" + i).put("value", (double) sketch.count(i));
        }
        bucket.putObject("resolve_ms_min").put("value", 60_000.0);
        bucket.putObject("resolve_ms_max").put("value", 600_000.0);
        List<Object> values = parse("distinct_alerts,resolve_ms_mean,resolve_ms_p50,resolve_ms_p90,episodes").read(bucket);
        assertThat(values).containsExactly(2L, 214_286L, Math.round(sketch.quantileMillis(0.5)), Math.round(sketch.quantileMillis(0.9)), 7L);
        // p50 lies in the bucket of 60 s (45.3 s to 64 s) above the shortest, p90 in that of 600 s up to the longest
        assertThat((Long) values.get(2)).isBetween(60_000L, 64_000L);
        assertThat((Long) values.get(3)).isBetween(512_000L, 600_000L);

        // Without the bounds (rollups from before they were stored), the buckets alone.
        bucket.remove("resolve_ms_min");
        bucket.putObject("resolve_ms_max").put("value", (double) Long.MAX_VALUE);
        List<Object> unbounded = parse("resolve_ms_p50,resolve_ms_p90").read(bucket);
        assertThat(unbounded).containsExactly(Math.round(ResolveTimeSketch.quantileMillis(sketch.counts(), 0.5)),
                Math.round(ResolveTimeSketch.quantileMillis(sketch.counts(), 0.9)));

        List<Object> empty = parse("resolve_ms_mean,resolve_ms_p50").read(ApiJson.object());
        assertThat(empty).containsExactly(null, null);
    }
}
