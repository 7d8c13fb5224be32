package dev.rollcall.aggregate;

import java.time.Clock;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.store.RollupsChange;

/**
 * Replaces the token of {@link RollupsChange} before a run writes its first rollup and when it ends, so that the
 * query API drops every answer it remembers from before: what a run writes is visible from the first mark on,
 * and the second covers the rollups that become visible only with the run's final refresh and sweep, and the
 * watermark.
 */
final class RollupsChangeMarker {

    private final StateIndex state;
    private final String jobId;
    private final Clock clock;

    RollupsChangeMarker(StateIndex state, String jobId, Clock clock) {
        this.state = state;
        this.jobId = jobId;
        this.clock = clock;
    }

    /** A new token; {@code phase} says why, for whoever reads the state index by hand. */
    void mark(String phase) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "rollups_change");
        doc.put(RollupsChange.TOKEN, UUID.randomUUID().toString());
        doc.put("phase", phase);
        doc.put("job_id", jobId);
        doc.put("updated_at", clock.instant().toString());
        state.put(RollupsChange.ID, doc);
    }
}
