package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.OpenSearchHttp;
import dev.rollcall.core.store.OpenSearchRefusedException;

/**
 * Rollups already stored: read back to complete a day or month that the window covers only in part, and swept
 * after a run when a bucket it recomputed still holds a document the run no longer produced.
 */
final class StoredRollups {

    private static final String SCROLL = "2m";

    private final OpenSearchCalls calls;
    private final IndexNames names;

    StoredRollups(OpenSearchCalls calls, IndexNames names) {
        this.calls = calls;
        this.names = names;
    }

    /** Every stored {@code interval} rollup with a bucket in [from, to) of a fingerprint {@code shard} owns. */
    void forEach(Interval interval, Instant from, Instant to, ShardSpec shard, Consumer<RollupDocument> each) {
        if (!from.isBefore(to)) {
            return;
        }
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.put("size", 5_000);
        body.putArray("sort").add("_doc");
        body.set("query", bucketQuery(from, to, shard));
        OpenSearchHttp.Answer first = calls.send("POST", "/" + names.rollupsIndex(interval.wire()) + "/_search",
                Map.of("scroll", SCROLL, "ignore_unavailable", "true", "allow_no_indices", "true"), body);
        if (!first.ok()) {
            throw new OpenSearchRefusedException("reading stored " + interval.wire() + " rollups", first.status(), first.text());
        }
        JsonNode page = AlertJson.readTree(first.body());
        String scrollId = page.path("_scroll_id").asText(null);
        try {
            while (page.path("hits").path("hits").size() > 0) {
                page.path("hits").path("hits").forEach(hit -> each.accept(RollupDocument.fromJson(hit.path("_source"))));
                ObjectNode next = AlertJson.mapper().createObjectNode().put("scroll", SCROLL).put("scroll_id", scrollId);
                page = calls.json("POST", "/_search/scroll", null, next);
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            if (scrollId != null) {
                // Expires after SCROLL anyway.
                ObjectNode clear = AlertJson.mapper().createObjectNode();
                clear.putArray("scroll_id").add(scrollId);
                calls.release("/_search/scroll", clear);
            }
        }
    }

    /** Deletes {@code interval} rollups in [from, to) of {@code shard}'s fingerprints written before {@code computedAt} (by an earlier run). */
    long deleteStale(Interval interval, Instant from, Instant to, Instant computedAt, ShardSpec shard) {
        String index = names.rollupsIndex(interval.wire());
        calls.send("POST", "/" + index + "/_refresh", Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), null);
        ObjectNode query = bucketQuery(from, to, shard);
        ObjectNode bool = (ObjectNode) query.path("bool");
        ArrayNode older = bool.putArray("should");
        older.addObject().putObject("range").putObject("computed_at").put("lt", computedAt.toEpochMilli()).put("format", "epoch_millis");
        older.addObject().putObject("bool").putObject("must_not").putObject("exists").put("field", "computed_at");
        bool.put("minimum_should_match", 1);
        return calls.deleteByQuery(index, query);
    }

    private static ObjectNode bucketQuery(Instant from, Instant to, ShardSpec shard) {
        ObjectNode query = AlertJson.mapper().createObjectNode();
        ArrayNode filter = query.putObject("bool").putArray("filter");
        filter.addObject().putObject("range").putObject("bucket_start")
                .put("gte", from.toEpochMilli()).put("lt", to.toEpochMilli()).put("format", "epoch_millis");
        ObjectNode own = shard.fingerprintQuery();
        if (own != null) {
            filter.add(own);
        }
        return query;
    }
}
