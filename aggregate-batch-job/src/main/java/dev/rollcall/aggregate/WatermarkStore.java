package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;

/** The watermark document in {@code <prefix>-state}: how far incremental runs have got. */
final class WatermarkStore {

    static final String ID = "watermark";

    /**
     * @param ingestedBefore every event ingested before this has been rolled up
     * @param computedUntil  every hour before this has been rolled up (an hour boundary)
     */
    record Watermark(Instant ingestedBefore, Instant computedUntil) {
    }

    private final StateIndex state;

    WatermarkStore(StateIndex state) {
        this.state = state;
    }

    Optional<Watermark> read() {
        return state.get(ID).map(doc -> new Watermark(time(doc, "ingested_before"), time(doc, "computed_until")));
    }

    void write(Watermark watermark, String jobId, Instant now) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "watermark");
        doc.put("ingested_before", watermark.ingestedBefore().toString());
        doc.put("computed_until", watermark.computedUntil().toString());
        doc.put("job_id", jobId);
        doc.put("updated_at", now.toString());
        state.put(ID, doc);
    }

    private static Instant time(JsonNode doc, String field) {
        return Timestamps.parse(doc.path(field)).orElseThrow(() -> new IllegalStateException("watermark without " + field));
    }
}
