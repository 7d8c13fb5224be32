package dev.rollcall.query.reports;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiResponse;

/**
 * {@code GET /v1/health}: 200 when the rollup indices answer a search, with how fresh the rollups are per
 * interval (latest bucket end and when it was computed); 503 when OpenSearch does not answer.
 */
public final class HealthReport {

    public static final String ROUTE = "health";

    private final RollupSearch search;

    public HealthReport(RollupSearch search) {
        this.search = search;
    }

    public ApiResponse run() {
        ObjectNode body = ApiJson.object();
        JsonNode answer;
        try {
            answer = search.search(List.of(Interval.values()), body());
        } catch (ApiError e) {
            body.put("status", "unavailable");
            body.put("opensearch", e.getMessage());
            return ApiResponse.json(503, body);
        }
        body.put("status", "ok");
        body.put("opensearch", "reachable");
        ObjectNode rollups = body.putObject("rollups");
        for (JsonNode bucket : answer.path("aggregations").path("intervals").path("buckets")) {
            ObjectNode interval = rollups.putObject(bucket.path("key").asText());
            interval.put("documents", bucket.path("doc_count").asLong());
            putInstant(interval, "latest_bucket_end", bucket.path("latest_bucket_end"));
            putInstant(interval, "latest_computed_at", bucket.path("latest_computed_at"));
        }
        return ApiResponse.json(200, body);
    }

    static ObjectNode body() {
        ObjectNode intervals = ApiJson.object();
        intervals.putObject("terms").put("field", "interval").put("size", Interval.values().length);
        ObjectNode aggs = intervals.putObject("aggs");
        aggs.set("latest_bucket_end", SearchBodies.metric("max", "bucket_end"));
        aggs.set("latest_computed_at", SearchBodies.metric("max", "computed_at"));
        ObjectNode root = ApiJson.object();
        root.set("intervals", intervals);
        return SearchBodies.search(SearchBodies.dimensionFilter(Map.of()), root);
    }

    private static void putInstant(ObjectNode node, String name, JsonNode max) {
        if (max.path("value").isNumber()) {
            node.put(name, Instant.ofEpochMilli(max.path("value").asLong()).toString());
        } else {
            node.putNull(name);
        }
    }
}
