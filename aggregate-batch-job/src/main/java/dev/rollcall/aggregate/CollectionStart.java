package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.IndexNames;
import dev.rollcall.core.store.JobWatermark;

/**
 * Finds when collecting began, for the watermark's {@link JobWatermark#COLLECTING_SINCE}: the earliest {@code ingested_at}
 * of any stored event. The events' own time cannot say it: the first delivery of a newly connected source brings
 * alerts that have been firing for weeks, dated when they began, and the report would take their month for the first
 * month collected. A deployment whose watermark an older job wrote (without the field) takes the earliest day rollup
 * where that is earlier: its earliest events may be gone with the retention, its rollups are not. Its own watermarks
 * cannot: the first run that moves one has just written rollups of those old alerts. Where history was loaded at once
 * (a backfill, local mode's demo) {@code ROLLCALL_COLLECTING_SINCE} says when it began instead.
 */
final class CollectionStart {

    private final OpenSearchCalls calls;
    private final IndexNames names;
    private final Optional<Instant> configured;
    private final JsonLog log;

    CollectionStart(OpenSearchCalls calls, IndexNames names, Optional<Instant> configured, JsonLog log) {
        this.calls = calls;
        this.names = names;
        this.configured = configured;
        this.log = log;
    }

    /**
     * The start: empty when nothing is stored yet, and not answered when OpenSearch refused to say (logged); the next
     * run that moves the watermark looks again then.
     */
    WatermarkStore.Lookup find(boolean upgrade) {
        if (configured.isPresent()) {
            return new WatermarkStore.Lookup(configured, true);
        }
        try {
            return new WatermarkStore.Lookup(search(upgrade), true);
        } catch (IllegalStateException e) {
            // A refusal or a failed shard (OpenSearchRefusedException is one): a start found from part of the data
            // would be kept for good, so none is written this time.
            log.warn("collecting_since_not_found", Map.of("reason", OpenSearchCalls.abbreviate(String.valueOf(e.getMessage()))));
            return WatermarkStore.Lookup.REFUSED;
        }
    }

    private Optional<Instant> search(boolean upgrade) {
        Optional<Instant> ingested = earliest(names.eventsPattern(), AlertJson.mapper().createObjectNode().set("match_all",
                AlertJson.mapper().createObjectNode()), "ingested_at");
        if (!upgrade) {
            return ingested;
        }
        ObjectNode days = AlertJson.mapper().createObjectNode();
        days.putObject("term").put("interval", Interval.DAY.wire());
        Optional<Instant> firstDay = earliest(names.rollupsIndex(Interval.DAY.wire()), days, "bucket_start");
        if (ingested.isPresent() && firstDay.isPresent()) {
            return Optional.of(ingested.get().isBefore(firstDay.get()) ? ingested.get() : firstDay.get());
        }
        return ingested.isPresent() ? ingested : firstDay;
    }

    /** The smallest {@code field} of {@code index} under {@code query}: one sorted hit, which Lucene finds from the points. */
    private Optional<Instant> earliest(String index, ObjectNode query, String field) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.put("size", 1);
        body.put("track_total_hits", false);
        body.put("_source", false);
        body.set("query", query);
        body.putArray("sort").addObject().putObject(field).put("order", "asc");
        JsonNode answer = calls.json("POST", "/" + index + "/_search",
                Map.of("allow_no_indices", "true", "ignore_unavailable", "true", "allow_partial_search_results", "false"), body);
        EventReader.requireEveryShard(answer, "searching for when collecting began");
        JsonNode first = answer.path("hits").path("hits").path(0).path("sort").path(0);
        return first.isIntegralNumber() ? Optional.of(Instant.ofEpochMilli(first.asLong())) : Optional.empty();
    }
}
