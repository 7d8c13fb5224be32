package dev.rollcall.aggregate;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;

/**
 * The run lease of an index prefix, document {@code lease} in {@code <prefix>-state}: which plan may read and
 * write the prefix's rollups and state until {@code expiresAt}.
 *
 * @param plan      the plan holding it: the Batch parent job id, shared by every child and retry, or the local run's id
 * @param jobId     the job (array child) that took or last renewed it
 * @param takenAt   when the plan took it
 * @param expiresAt when it stops counting unless renewed
 */
record RunLease(String plan, String jobId, Instant takenAt, Instant expiresAt) {

    boolean heldBy(String otherPlan) {
        return plan.equals(otherPlan);
    }

    boolean liveAt(Instant now) {
        return expiresAt.isAfter(now);
    }

    ObjectNode toJson(Instant now) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "lease");
        doc.put("plan", plan);
        doc.put("job_id", jobId);
        doc.put("taken_at", takenAt.toString());
        doc.put("expires_at", expiresAt.toString());
        doc.put("updated_at", now.toString());
        return doc;
    }

    static RunLease fromJson(JsonNode doc) {
        return new RunLease(doc.path("plan").asText(), doc.path("job_id").asText(), time(doc, "taken_at"), time(doc, "expires_at"));
    }

    private static Instant time(JsonNode doc, String field) {
        return Timestamps.parse(doc.path(field)).orElseThrow(() -> new IllegalStateException("run lease without " + field));
    }
}
