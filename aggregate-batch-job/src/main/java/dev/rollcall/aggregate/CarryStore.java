package dev.rollcall.aggregate;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.rollup.CarryState;
import dev.rollcall.core.store.BulkDocument;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;

/**
 * Carry snapshots in {@code <prefix>-state}: the {@link CarryState} at an hour boundary, so the next run (or a
 * recompute after late events) starts from exactly what everything before it left open.
 *
 * <p>A snapshot is written by every child of a run for the fingerprints it owns, in chunks; it counts only when
 * complete (every child, every chunk), and among complete ones at the same instant the newest generation wins.
 * Each document carries its generation (plan), shard and run, so a run can remove what older runs wrote inside the
 * range it recomputed without touching its siblings' snapshots.
 */
final class CarryStore {

    static final int CHUNK = 2_000;
    /** Snapshot instants looked at per search, newest first: the latest is nearly always complete. */
    private static final int INSTANTS_PER_SEARCH = 20;
    private static final List<String> META = List.of("at", "generation", "run_id", "run_started_at", "shard_index", "shard_count", "chunk", "chunks");

    private final StateIndex state;
    private final BulkIndexer indexer;
    private final Clock clock;

    /** Where a complete snapshot is: its instant and documents. */
    record Snapshot(Instant at, List<String> ids) {
    }

    CarryStore(StateIndex state, BulkIndexer indexer, Clock clock) {
        this.state = state;
        this.indexer = indexer;
        this.clock = clock;
    }

    /** The documents of {@code carry}'s snapshot, in chunks, for {@link #write}. */
    List<BulkDocument> documents(CarryState carry, String generation, ShardSpec shard, String runId, Instant runStartedAt) {
        List<CarryState.FingerprintCarry> fingerprints = carry.fingerprints();
        int chunks = Math.max(1, (fingerprints.size() + CHUNK - 1) / CHUNK);
        boolean dayBoundary = carry.at().toEpochMilli() % 86_400_000L == 0;
        List<BulkDocument> docs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            ObjectNode doc = AlertJson.mapper().createObjectNode();
            doc.put("kind", "carry");
            doc.put("at", carry.at().toString());
            doc.put("generation", generation);
            doc.put("run_id", runId);
            doc.put("run_started_at", runStartedAt.toString());
            doc.put("shard_index", shard.index());
            doc.put("shard_count", shard.count());
            doc.put("chunk", c);
            doc.put("chunks", chunks);
            doc.put("day_boundary", dayBoundary);
            doc.put("updated_at", clock.instant().toString());
            doc.set("fingerprints", AlertJson.mapper().valueToTree(
                    fingerprints.subList(c * CHUNK, Math.min(fingerprints.size(), (c + 1) * CHUNK))));
            // Every child tracks every service (all firings are read for correlation); one of them stores it.
            doc.set("services", AlertJson.mapper().valueToTree(c == 0 && shard.index() == 0 ? carry.services() : List.of()));
            docs.add(new BulkDocument(state.name(), "carry-" + carry.at().toEpochMilli() + "-" + runId + "-" + c, AlertJson.toBytes(doc), false));
        }
        return docs;
    }

    /** Writes snapshot documents, retried until {@code deadline}; one outcome per document, in order. */
    BulkResult write(List<BulkDocument> documents, Instant deadline) {
        return indexer.write(documents, deadline);
    }

    /**
     * The latest complete snapshot at or before {@code t}, looking further back past any number of incomplete ones
     * (an array plan whose last child never finished leaves one at every instant of its window).
     */
    Optional<Snapshot> latestAtOrBefore(Instant t) {
        state.refresh();
        Instant upTo = t;
        while (true) {
            ObjectNode body = AlertJson.mapper().createObjectNode();
            body.put("size", 0);
            body.set("query", carryQuery(range("lte", upTo)));
            body.putObject("aggs").putObject("instants").putObject("terms")
                    .put("field", "at").put("size", INSTANTS_PER_SEARCH).putObject("order").put("_key", "desc");
            JsonNode buckets = state.search(body).path("aggregations").path("instants").path("buckets");
            Instant oldest = null;
            for (JsonNode bucket : buckets) {
                oldest = Instant.ofEpochMilli(bucket.path("key").asLong());
                Optional<Snapshot> complete = completeAt(oldest);
                if (complete.isPresent()) {
                    return complete;
                }
            }
            if (buckets.size() < INSTANTS_PER_SEARCH) {
                return Optional.empty();
            }
            upTo = oldest.minusMillis(1);
        }
    }

    CarryState load(Snapshot snapshot, Predicate<String> owns) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        ArrayNode ids = body.putArray("ids");
        snapshot.ids().forEach(ids::add);
        JsonNode answer = state.calls().json("POST", "/" + state.name() + "/_mget", null, body);
        List<CarryState.FingerprintCarry> fingerprints = new ArrayList<>();
        List<CarryState.ServiceCarry> services = new ArrayList<>();
        for (JsonNode doc : answer.path("docs")) {
            if (!doc.path("found").asBoolean()) {
                throw new IllegalStateException("carry snapshot document " + doc.path("_id").asText() + " disappeared while loading");
            }
            for (JsonNode f : doc.path("_source").path("fingerprints")) {
                CarryState.FingerprintCarry carry = AlertJson.mapper().convertValue(f, CarryState.FingerprintCarry.class);
                if (owns.test(carry.fingerprint())) {
                    fingerprints.add(carry);
                }
            }
            for (JsonNode s : doc.path("_source").path("services")) {
                services.add(AlertJson.mapper().convertValue(s, CarryState.ServiceCarry.class));
            }
        }
        fingerprints.sort(Comparator.comparing(CarryState.FingerprintCarry::fingerprint));
        services.sort(Comparator.comparing(CarryState.ServiceCarry::service));
        return new CarryState(snapshot.at(), fingerprints, services);
    }

    /** Removes this shard's snapshots in ({@code after}, {@code until}] from earlier attempts of the same plan. */
    long deleteEarlierAttempts(Instant after, Instant until, String generation, ShardSpec shard, String runId) {
        ObjectNode query = carryQuery(range("gt", after), range("lte", until));
        ObjectNode bool = (ObjectNode) query.path("bool");
        ArrayNode filter = (ArrayNode) bool.path("filter");
        filter.addObject().putObject("term").put("generation", generation);
        filter.addObject().putObject("term").put("shard_index", shard.index());
        bool.putObject("must_not").putObject("term").put("run_id", runId);
        return state.deleteByQuery(query);
    }

    /**
     * Removes other plans' snapshots in ({@code after}, {@code until}], computed before events that have arrived
     * since. Only once every child of this plan is done: until then this plan's are incomplete, and the ones they
     * replace are what the next run starts from.
     */
    long deleteOtherGenerations(Instant after, Instant until, String generation) {
        ObjectNode query = carryQuery(range("gt", after), range("lte", until));
        ((ObjectNode) query.path("bool")).putObject("must_not").putObject("term").put("generation", generation);
        return state.deleteByQuery(query);
    }

    /** Forgets snapshots older than {@code before} except those at day boundaries, the bases of late-event recomputes. */
    long prune(Instant before) {
        ObjectNode query = carryQuery(range("lt", before));
        ((ArrayNode) query.path("bool").path("filter")).addObject().putObject("term").put("day_boundary", false);
        return state.deleteByQuery(query);
    }

    /**
     * Forgets every snapshot older than {@code before}, day boundaries included: once raw events before a day are
     * deleted, no run recomputes it, so its snapshot can never be a start state again.
     */
    long forgetBefore(Instant before) {
        return state.deleteByQuery(carryQuery(range("lt", before)));
    }

    /** The newest complete snapshot at exactly {@code at}. */
    Optional<Snapshot> completeAt(Instant at) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.put("size", 10_000);
        ArrayNode source = body.putArray("_source");
        META.forEach(source::add);
        body.set("query", carryQuery(range("gte", at), range("lte", at)));
        Map<String, Map<Integer, Map<String, List<JsonNode>>>> byGeneration = new HashMap<>();
        for (JsonNode hit : state.search(body).path("hits").path("hits")) {
            JsonNode doc = hit.path("_source");
            ((ObjectNode) doc).put("_id", hit.path("_id").asText());
            byGeneration.computeIfAbsent(doc.path("generation").asText(), g -> new HashMap<>())
                    .computeIfAbsent(doc.path("shard_index").asInt(), i -> new HashMap<>())
                    .computeIfAbsent(doc.path("run_id").asText(), r -> new ArrayList<>()).add(doc);
        }
        Snapshot best = null;
        Instant bestStarted = Instant.MIN;
        for (Map<Integer, Map<String, List<JsonNode>>> shards : byGeneration.values()) {
            int count = shards.values().iterator().next().values().iterator().next().get(0).path("shard_count").asInt();
            // Children past the fingerprint partitions own nothing and write no parts (an array submitted by hand
            // may be wider than the 64 the stack and the API ever ask for): the others' parts are the whole state.
            int writers = Math.min(count, ShardSpec.PARTITIONS);
            List<String> ids = new ArrayList<>();
            Instant started = Instant.MIN;
            boolean complete = true;
            for (int i = 0; i < writers && complete; i++) {
                List<JsonNode> run = newestCompleteRun(shards.getOrDefault(i, Map.of()));
                complete = run != null;
                if (complete) {
                    run.forEach(d -> ids.add(d.path("_id").asText()));
                    Instant runStarted = Timestamps.parse(run.get(0).path("run_started_at")).orElse(Instant.MIN);
                    started = runStarted.isAfter(started) ? runStarted : started;
                }
            }
            if (complete && started.isAfter(bestStarted)) {
                best = new Snapshot(at, ids);
                bestStarted = started;
            }
        }
        return Optional.ofNullable(best);
    }

    private static List<JsonNode> newestCompleteRun(Map<String, List<JsonNode>> runs) {
        List<JsonNode> newest = null;
        Instant newestStarted = Instant.MIN;
        for (List<JsonNode> docs : runs.values()) {
            int chunks = docs.get(0).path("chunks").asInt();
            long distinct = docs.stream().mapToInt(d -> d.path("chunk").asInt()).distinct().count();
            Instant started = Timestamps.parse(docs.get(0).path("run_started_at")).orElse(Instant.MIN);
            if (distinct == chunks && started.isAfter(newestStarted)) {
                newest = docs;
                newestStarted = started;
            }
        }
        return newest;
    }

    private static ObjectNode range(String op, Instant t) {
        ObjectNode r = AlertJson.mapper().createObjectNode();
        r.putObject("range").putObject("at").put(op, t.toEpochMilli()).put("format", "epoch_millis");
        return r;
    }

    private static ObjectNode carryQuery(ObjectNode... clauses) {
        ObjectNode query = AlertJson.mapper().createObjectNode();
        ArrayNode filter = query.putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("kind", "carry");
        for (ObjectNode c : clauses) {
            filter.add(c);
        }
        return query;
    }

}
