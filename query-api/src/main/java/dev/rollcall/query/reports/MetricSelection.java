package dev.rollcall.query.reports;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.ResolveTimeSketch;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.QueryParameters;

/**
 * The metrics a client asked for and the aggregations that compute exactly those: a {@code sum} per stored
 * metric needed, a {@code cardinality} of fingerprints for distinct alerts, and the 50 sketch-bucket sums only
 * when a resolve-time quantile is asked for.
 *
 * <p>Derived metrics: {@code distinct_alerts} (fingerprints with events in the row's rollups; exact up to
 * {@value #DISTINCT_PRECISION}, approximate beyond), {@code resolve_ms_mean} ({@code resolve_ms_sum / episodes}),
 * {@code resolve_ms_p50} and {@code resolve_ms_p90} (from the summed resolve-time sketch, within a factor of
 * sqrt 2). The three resolve times are {@code null} when the row has no episodes; {@code distinct_alerts} is never
 * null (0 for a row of rollups that only carry an open alert's firing time).
 */
public record MetricSelection(List<String> names) {

    public static final String DISTINCT_ALERTS = "distinct_alerts";
    private static final String FINGERPRINTS = "fingerprints";
    public static final String RESOLVE_MS_MEAN = "resolve_ms_mean";
    public static final String RESOLVE_MS_P50 = "resolve_ms_p50";
    public static final String RESOLVE_MS_P90 = "resolve_ms_p90";
    public static final List<String> STORED = RollupDocument.METRIC_FIELDS;
    public static final List<String> DERIVED = List.of(DISTINCT_ALERTS, RESOLVE_MS_MEAN, RESOLVE_MS_P50, RESOLVE_MS_P90);
    public static final List<String> ALL;
    /** What {@code metrics=} accepts: every metric, or {@code all}. */
    public static final List<String> ALLOWED;
    public static final List<String> DEFAULT = List.of("events", "firing", "pages", "interruptions");
    static final int DISTINCT_PRECISION = 3000;
    private static final String HISTOGRAM_PREFIX = "resolve_hist_";

    static {
        List<String> all = new ArrayList<>(STORED);
        all.addAll(DERIVED);
        ALL = List.copyOf(all);
        all.add("all");
        ALLOWED = List.copyOf(all);
    }

    public MetricSelection {
        names = List.copyOf(names);
        for (String name : names) {
            if (!ALL.contains(name)) {
                throw new IllegalArgumentException("no metric " + name);
            }
        }
    }

    public static MetricSelection of(String... names) {
        return new MetricSelection(List.of(names));
    }

    /** {@code metrics}: a comma-separated list of {@link #ALLOWED}; absent means {@link #DEFAULT}, {@code all} every metric. */
    public static MetricSelection parse(QueryParameters parameters) {
        List<String> asked = parameters.list("metrics");
        if (asked.isEmpty()) {
            return new MetricSelection(DEFAULT);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String metric : asked) {
            String lower = metric.toLowerCase(Locale.ROOT);
            if (!ALLOWED.contains(lower)) {
                throw ApiError.notOneOf("metrics", metric, ALLOWED);
            }
            if (lower.equals("all")) {
                names.addAll(ALL);
            } else {
                names.add(lower);
            }
        }
        return new MetricSelection(List.copyOf(names));
    }

    /** Stored fields to sum: the asked-for ones and those a derived metric divides. */
    Set<String> sums() {
        Set<String> sums = new LinkedHashSet<>();
        for (String name : names) {
            if (STORED.contains(name)) {
                sums.add(name);
            } else if (name.equals(RESOLVE_MS_MEAN)) {
                sums.add("resolve_ms_sum");
                sums.add("episodes");
            }
        }
        return sums;
    }

    private boolean needsHistogram() {
        return names.contains(RESOLVE_MS_P50) || names.contains(RESOLVE_MS_P90);
    }

    /** Adds the aggregations these metrics need to {@code aggs}. */
    public void addAggregations(ObjectNode aggs) {
        for (String field : sums()) {
            aggs.set(field, SearchBodies.sum(field));
        }
        if (names.contains(DISTINCT_ALERTS)) {
            // Alerts with events in the row's buckets: one that only stayed open through them is not an alert of theirs.
            ObjectNode fingerprints = ApiJson.object();
            fingerprints.putObject(FINGERPRINTS).putObject("cardinality").put("field", "fingerprint").put("precision_threshold", DISTINCT_PRECISION);
            aggs.set(DISTINCT_ALERTS, SearchBodies.filter(SearchBodies.withEvents(), fingerprints));
        }
        if (needsHistogram()) {
            for (int i = 0; i < ResolveTimeSketch.BUCKETS; i++) {
                aggs.set(HISTOGRAM_PREFIX + i, SearchBodies.sum(RollupDocument.RESOLVE_HIST + "." + ResolveTimeSketch.fieldName(i)));
            }
            // Rollups written before the bounds were stored lack them: as missing they bound nothing.
            aggs.set(RollupDocument.RESOLVE_MS_MIN, boundAggregation("min", RollupDocument.RESOLVE_MS_MIN, ResolveTimeSketch.UNKNOWN_MIN));
            aggs.set(RollupDocument.RESOLVE_MS_MAX, boundAggregation("max", RollupDocument.RESOLVE_MS_MAX, ResolveTimeSketch.UNKNOWN_MAX));
        }
    }

    private static ObjectNode boundAggregation(String kind, String field, long missing) {
        ObjectNode agg = SearchBodies.metric(kind, field);
        ((ObjectNode) agg.path(kind)).put("missing", missing);
        return agg;
    }

    /** The metric values of one aggregation bucket, in the order of {@link #names}: longs, or null where undefined. */
    public List<Object> read(JsonNode bucket) {
        List<Object> values = new ArrayList<>(names.size());
        ResolveTimeSketch histogram = needsHistogram() ? histogram(bucket) : null;
        for (String name : names) {
            values.add(switch (name) {
                case DISTINCT_ALERTS -> bucket.path(DISTINCT_ALERTS).path(FINGERPRINTS).path("value").asLong();
                case RESOLVE_MS_MEAN -> {
                    long episodes = sum(bucket, "episodes");
                    yield episodes == 0 ? null : Math.round((double) sum(bucket, "resolve_ms_sum") / episodes);
                }
                case RESOLVE_MS_P50 -> quantile(histogram, 0.5);
                case RESOLVE_MS_P90 -> quantile(histogram, 0.9);
                default -> sum(bucket, name);
            });
        }
        return values;
    }

    /** The rounded value of a {@code sum} sub-aggregation named like its field (0 when absent). */
    public static long sum(JsonNode bucket, String field) {
        return Math.round(bucket.path(field).path("value").asDouble(0));
    }

    private static ResolveTimeSketch histogram(JsonNode bucket) {
        long[] counts = new long[ResolveTimeSketch.BUCKETS];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = sum(bucket, HISTOGRAM_PREFIX + i);
        }
        return ResolveTimeSketch.ofCounts(counts, bound(bucket, RollupDocument.RESOLVE_MS_MIN, ResolveTimeSketch.UNKNOWN_MIN),
                bound(bucket, RollupDocument.RESOLVE_MS_MAX, ResolveTimeSketch.UNKNOWN_MAX));
    }

    /** A min or max aggregation's value as a long; {@code unknown} when there is none. */
    private static long bound(JsonNode bucket, String name, long unknown) {
        JsonNode value = bucket.path(name).path("value");
        if (!value.isNumber()) {
            return unknown;
        }
        double d = value.asDouble();
        // Long.MAX_VALUE comes back as a double just above it.
        return d >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) d;
    }

    private static Long quantile(ResolveTimeSketch histogram, double q) {
        double millis = histogram.quantileMillis(q);
        return Double.isNaN(millis) ? null : Math.round(millis);
    }
}
