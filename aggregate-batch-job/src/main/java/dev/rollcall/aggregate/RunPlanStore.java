package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;

/**
 * Plans and completion marks of Batch jobs in {@code <prefix>-state}. The first child of an array job to start
 * stores the plan; the others and every retry read it, so all compute the same window even when they start at
 * different times. Of the children that find every mark present (two finishing together both do), the one that
 * claims the plan's completion first moves the watermark.
 */
final class RunPlanStore {

    private final StateIndex state;

    RunPlanStore(StateIndex state) {
        this.state = state;
    }

    RunPlan planOnce(String planId, Supplier<RunPlan> planner) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "plan");
        doc.put("generation", planId);
        RunPlan fresh = planner.get();
        doc.set("plan", AlertJson.mapper().valueToTree(fresh));
        doc.put("updated_at", fresh.plannedAt().toString());
        JsonNode stored = state.putIfAbsent("plan-" + planId, doc);
        return AlertJson.mapper().convertValue(stored.path("plan"), RunPlan.class);
    }

    void markDone(String planId, ShardSpec shard, String jobId, Instant now) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "done");
        doc.put("generation", planId);
        doc.put("shard_index", shard.index());
        doc.put("shard_count", shard.count());
        doc.put("job_id", jobId);
        doc.put("updated_at", now.toString());
        state.put("done-" + planId + "-" + shard.index(), doc);
    }

    /** Whether {@code shard} has marked its part of the plan done. */
    boolean isDone(String planId, ShardSpec shard) {
        return state.get("done-" + planId + "-" + shard.index()).isPresent();
    }

    boolean allDone(String planId, int count) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.put("size", Math.min(count, 10_000));
        body.putArray("_source").add("shard_index");
        var filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("kind", "done");
        filter.addObject().putObject("term").put("generation", planId);
        Set<Integer> done = new HashSet<>();
        state.search(body).path("hits").path("hits").forEach(hit -> done.add(hit.path("_source").path("shard_index").asInt()));
        return done.size() >= count;
    }

    /** Whether a child has claimed moving the plan's watermark: every shard of it was done by then. */
    boolean completionClaimed(String planId) {
        return state.get("completion-" + planId).isPresent();
    }

    /** Forgets plans, completion marks and claims last written before {@code before}: bookkeeping of finished runs. */
    long forgetBefore(Instant before) {
        ObjectNode query = AlertJson.mapper().createObjectNode();
        ObjectNode bool = query.putObject("bool");
        bool.putArray("filter").addObject().putObject("range").putObject("updated_at")
                .put("lt", before.toEpochMilli()).put("format", "epoch_millis");
        ArrayNode kinds = bool.putArray("must").addObject().putObject("terms").putArray("kind");
        kinds.add("plan").add("done").add("completion");
        return state.deleteByQuery(query);
    }

    /**
     * Claims moving the plan's watermark for {@code jobId}: true for the first claimant and its retries (Batch retries
     * a child under the same job id), false for every other child.
     */
    boolean claimCompletion(String planId, String jobId, Instant now) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "completion");
        doc.put("generation", planId);
        doc.put("job_id", jobId);
        doc.put("updated_at", now.toString());
        return state.putIfAbsent("completion-" + planId, doc).path("job_id").asText().equals(jobId);
    }
}
