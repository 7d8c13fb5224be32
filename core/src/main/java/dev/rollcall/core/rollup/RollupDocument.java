package dev.rollcall.core.rollup;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;

/**
 * One rollup as stored in {@code <prefix>-rollups-<interval>}: key fields, metrics as top-level numbers (so
 * OpenSearch can sum them), the resolve-time sketch under {@code resolve_hist}, and provenance.
 */
public record RollupDocument(RollupKey key, RollupMetrics metrics, Instant computedAt, String jobId) {

    /** Metric field names in documents, in the order of {@link RollupMetrics}'s numeric components. */
    public static final List<String> METRIC_FIELDS = List.of("events", "firing", "resolved", "info", "pages", "interruptions",
            "episodes", "resolve_ms_sum", "firing_ms", "duplicates", "correlated", "flaps", "transients", "standing", "ignored",
            "classified", "actionable");
    public static final String RESOLVE_HIST = "resolve_hist";
    /**
     * The shortest and longest resolve time of the bucket's episodes, which narrow the sketch's quantiles. Written on
     * every rollup, empty ones with {@link ResolveTimeSketch#NO_MIN} and {@link ResolveTimeSketch#NO_MAX}, so that a
     * {@code min} or {@code max} aggregation over rollups needs no missing value but for rollups written before them.
     */
    public static final String RESOLVE_MS_MIN = "resolve_ms_min";
    public static final String RESOLVE_MS_MAX = "resolve_ms_max";
    /** {@link RollupMetrics#lastFiredAt()} in epoch ms, on rollups with a firing only (so a sort puts the others last). */
    public static final String LAST_FIRED_AT = "last_fired_at";

    public String id() {
        return key.id();
    }

    /** The document source. {@code computed_at} and {@code job_id} are left out of equality checks by callers that compare runs. */
    public ObjectNode toJson() {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("interval", key.interval().wire());
        doc.put("bucket_start", key.bucketStart().toString());
        doc.put("bucket_end", key.bucketEnd().toString());
        doc.put("service", key.service());
        doc.put("source", key.source());
        doc.put("urgency", key.urgency());
        doc.put("severity", key.severity());
        doc.put("account", key.account());
        doc.put("environment", key.environment());
        doc.put("name", key.name());
        doc.put("fingerprint", key.fingerprint());
        long[] values = values(metrics);
        for (int i = 0; i < values.length; i++) {
            doc.put(METRIC_FIELDS.get(i), values[i]);
        }
        ObjectNode hist = doc.putObject(RESOLVE_HIST);
        metrics.resolveTimes().toFields().forEach(hist::put);
        doc.put(RESOLVE_MS_MIN, metrics.resolveTimes().minMillis());
        doc.put(RESOLVE_MS_MAX, metrics.resolveTimes().maxMillis());
        if (metrics.lastFiredAt() > 0) {
            doc.put(LAST_FIRED_AT, metrics.lastFiredAt());
        }
        if (computedAt != null) {
            doc.put("computed_at", computedAt.toString());
        }
        if (jobId != null) {
            doc.put("job_id", jobId);
        }
        return doc;
    }

    public static RollupDocument fromJson(JsonNode doc) {
        Interval interval = Interval.fromWire(doc.path("interval").asText(null));
        Instant start = Timestamps.parse(doc.path("bucket_start"))
                .orElseThrow(() -> new IllegalArgumentException("rollup document without bucket_start"));
        RollupKey key = new RollupKey(interval, start, doc.path("service").asText(null), doc.path("source").asText(null),
                doc.path("urgency").asText(null), doc.path("severity").asText(null), doc.path("account").asText(null),
                doc.path("environment").asText(null), doc.path("name").asText(null), doc.path("fingerprint").asText(null));
        long[] v = new long[METRIC_FIELDS.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = doc.path(METRIC_FIELDS.get(i)).asLong(0);
        }
        Map<String, Long> hist = new LinkedHashMap<>();
        doc.path(RESOLVE_HIST).properties().forEach(e -> hist.put(e.getKey(), e.getValue().asLong()));
        RollupMetrics metrics = new RollupMetrics(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7],
                ResolveTimeSketch.fromFields(hist, doc.path(RESOLVE_MS_MIN).asLong(ResolveTimeSketch.UNKNOWN_MIN),
                        doc.path(RESOLVE_MS_MAX).asLong(ResolveTimeSketch.UNKNOWN_MAX)), v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16],
                doc.path(LAST_FIRED_AT).asLong(0));
        Instant computedAt = Timestamps.parse(doc.path("computed_at")).orElse(null);
        String jobId = doc.hasNonNull("job_id") ? doc.get("job_id").asText() : null;
        return new RollupDocument(key, metrics, computedAt, jobId);
    }

    private static long[] values(RollupMetrics m) {
        return new long[] {m.events(), m.firing(), m.resolved(), m.info(), m.pages(), m.interruptions(), m.episodes(),
                m.resolveMsSum(), m.firingMs(), m.duplicates(), m.correlated(), m.flaps(), m.transients(), m.standing(), m.ignored(),
                m.classified(), m.actionable()};
    }
}
