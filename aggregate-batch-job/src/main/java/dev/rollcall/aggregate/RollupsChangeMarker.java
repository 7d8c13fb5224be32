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
 * watermark. Only the end of a whole plan is {@link RollupsChange#DONE}: while a run or an array sibling may still be
 * writing, or after a failure, the query API remembers nothing.
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

    /** A new token; {@code phase} ({@link RollupsChange#PHASE}) says whether answers may be remembered under it. */
    void mark(String phase) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "rollups_change");
        doc.put(RollupsChange.TOKEN, UUID.randomUUID().toString());
        doc.put(RollupsChange.PHASE, phase);
        doc.put("job_id", jobId);
        doc.put("updated_at", clock.instant().toString());
        state.put(RollupsChange.ID, doc);
    }
}
