package dev.rollcall.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.store.IndexNames;

/**
 * Decides what a run computes. Windows are whole hours. An incremental run recomputes from the earliest hour that
 * any event ingested since the watermark occurred in (late events included) or from where the last run stopped,
 * whichever is earlier, up to the last whole hour before now minus the settle delay; every hour after a late event
 * is recomputed too, because the event can change episodes that run on. An incremental run computes at most the
 * configured window; the next run goes on from where it stopped. With an events retention no run computes before
 * its start: a late event before it starts the run there, which replays what its start snapshot does not hold, so a
 * late event at or after that snapshot is read; an older one would not be, and starting there would only compute
 * again what is computed already, so it is passed by with a line saying so. State comes from the latest complete carry
 * snapshot at or before the start, replaying the events in between; without one, from nothing one episode max age
 * before the start.
 */
final class RunPlanner {

    private final WatermarkStore watermarks;
    private final CarryStore carries;
    private final OpenSearchCalls calls;
    private final IndexNames names;
    private final Duration settleDelay;
    private final Duration episodeMaxAge;
    private final Duration eventsRetention;
    private final Duration maxIncrementalWindow;
    private final JsonLog log;

    RunPlanner(WatermarkStore watermarks, CarryStore carries, OpenSearchCalls calls, IndexNames names, Duration settleDelay,
               Duration episodeMaxAge, Duration eventsRetention, Duration maxIncrementalWindow, JsonLog log) {
        this.watermarks = watermarks;
        this.carries = carries;
        this.calls = calls;
        this.names = names;
        this.settleDelay = settleDelay;
        this.episodeMaxAge = episodeMaxAge;
        this.eventsRetention = eventsRetention;
        this.maxIncrementalWindow = maxIncrementalWindow;
        this.log = log;
    }

    RunPlan plan(JobArguments args, Instant now, String generation) {
        Instant floor = retentionFloor(now);
        Instant emitFrom;
        Instant end;
        WatermarkStore.Watermark next = null;
        switch (args.mode()) {
            case WINDOW -> {
                emitFrom = Interval.HOUR.bucketStart(args.from());
                end = ceil(Interval.HOUR, args.to());
            }
            case PREVIOUS_DAY -> {
                end = Interval.DAY.bucketStart(now);
                emitFrom = end.minus(Duration.ofDays(1));
            }
            default -> {
                Optional<WatermarkStore.Watermark> stored = watermarks.read();
                Instant ingestedBefore = now.minus(settleDelay).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                end = Interval.HOUR.bucketStart(ingestedBefore);
                Instant start = end;
                if (stored.isPresent()) {
                    start = min(start, stored.get().computedUntil());
                }
                Optional<Instant> earliest = earliestOccurrence(stored.map(WatermarkStore.Watermark::ingestedBefore).orElse(null), ingestedBefore,
                        floor, replayStartAt(floor));
                if (earliest.isPresent()) {
                    start = min(start, Interval.HOUR.bucketStart(earliest.get()));
                }
                emitFrom = start;
                Instant computedUntil = stored.map(w -> max(w.computedUntil(), end)).orElse(end);
                Instant ingested = stored.map(w -> max(w.ingestedBefore(), ingestedBefore)).orElse(ingestedBefore);
                next = new WatermarkStore.Watermark(ingested, computedUntil);
            }
        }
        Instant planEnd = min(end, Interval.HOUR.bucketStart(now));
        Instant planFrom = emitFrom;
        if (floor != null) {
            planFrom = max(planFrom, floor);
        }
        planFrom = min(planFrom, planEnd);
        if (next != null) {
            Instant cappedEnd = ceil(Interval.HOUR, planFrom.plus(maxIncrementalWindow));
            if (cappedEnd.isBefore(planEnd)) {
                // The rest waits for the next run: every hour before the capped end is computed with every event
                // ingested so far, so that is where the next run starts, even when a late event had started this
                // one before the stored computed_until (which then moves back; see Watermark#reaches).
                log.info("window_capped", Map.of("from", planFrom.toString(), "wanted_to", planEnd.toString(), "to", cappedEnd.toString(),
                        "max_window_hours", maxIncrementalWindow.toHours()));
                planEnd = cappedEnd;
                next = new WatermarkStore.Watermark(next.ingestedBefore(), cappedEnd);
            }
        }
        if (!planFrom.equals(emitFrom) || !planEnd.equals(end)) {
            log.info("window_clamped", Map.of("wanted_from", emitFrom.toString(), "wanted_to", end.toString(),
                    "from", planFrom.toString(), "to", planEnd.toString(),
                    "events_retention_days", eventsRetention.toDays()));
        }
        Instant replayFrom = planFrom;
        boolean fromSnapshot = false;
        if (planFrom.isBefore(planEnd)) {
            Optional<CarryStore.Snapshot> snapshot = carries.latestAtOrBefore(planFrom);
            fromSnapshot = snapshot.isPresent();
            replayFrom = snapshot.map(CarryStore.Snapshot::at).orElse(Interval.HOUR.bucketStart(planFrom.minus(episodeMaxAge)));
        }
        return new RunPlan(args.mode(), planFrom, planEnd, replayFrom, fromSnapshot, next, generation, now);
    }

    /** The first whole hour within the events retention, before which no run computes; null without a retention. */
    private Instant retentionFloor(Instant now) {
        return eventsRetention.isZero() ? null : ceil(Interval.HOUR, now.minus(eventsRetention));
    }

    /**
     * Where a run that starts at {@code start} replays from (its latest snapshot at or before it, or one episode max
     * age before it, as {@link #plan} chooses): a late event before that is not read by such a run.
     */
    private Instant replayStartAt(Instant start) {
        if (start == null) {
            return null;
        }
        return carries.latestAtOrBefore(start).map(CarryStore.Snapshot::at).orElse(Interval.HOUR.bucketStart(start.minus(episodeMaxAge)));
    }

    /**
     * The earliest occurred_at at or after {@code replayed} (null: any) of the events ingested in [from, to); from
     * null means since ever. A late event between {@code replayed} and the retention's {@code floor} starts the run at
     * the floor, whose replay reads it: it may end an episode that runs on past the floor. A run starting at the floor
     * would not read those before {@code replayed}, so they are left out; when a watermark exists (they are late, not
     * merely old) they are counted and said.
     */
    private Optional<Instant> earliestOccurrence(Instant from, Instant to, Instant floor, Instant replayed) {
        ObjectNode body = AlertJson.mapper().createObjectNode();
        body.put("size", 0);
        ObjectNode range = body.putObject("query").putObject("range").putObject("ingested_at");
        if (from != null) {
            range.put("gte", from.toEpochMilli());
        }
        range.put("lt", to.toEpochMilli()).put("format", "epoch_millis");
        ObjectNode aggs = body.putObject("aggs");
        ObjectNode kept = aggs;
        if (replayed != null) {
            ObjectNode within = aggs.putObject("within");
            within.putObject("filter").putObject("range").putObject("occurred_at").put("gte", replayed.toEpochMilli()).put("format", "epoch_millis");
            kept = within.putObject("aggs");
        }
        if (replayed != null && from != null) {
            ObjectNode past = aggs.putObject("past");
            past.putObject("filter").putObject("range").putObject("occurred_at").put("lt", replayed.toEpochMilli()).put("format", "epoch_millis");
            ObjectNode pastAggs = past.putObject("aggs");
            pastAggs.putObject("oldest").putObject("min").put("field", "occurred_at");
            pastAggs.putObject("newest").putObject("max").put("field", "occurred_at");
        }
        kept.putObject("earliest").putObject("min").put("field", "occurred_at");
        // Strict like the reader: a late event in a shard that failed to answer would be passed by for good. Closed
        // months are left out: this spans every month, and nothing can have been ingested into a closed one lately
        // (the reader fails a run whose window does reach one).
        JsonNode answer = calls.json("POST", "/" + names.eventsPattern() + "/_search",
                Map.of("allow_no_indices", "true", "allow_partial_search_results", "false"), body);
        EventReader.requireEveryShard(answer, "searching for late events");
        JsonNode aggregations = answer.path("aggregations");
        JsonNode past = aggregations.path("past");
        if (past.path("doc_count").asLong() > 0) {
            // Stored, but no run computes before the floor: the rollups of their time were computed while the
            // retention still held those hours' events, and recomputing them now would count what is left.
            log.warn("late_events_past_retention", Map.of("events", past.path("doc_count").asLong(),
                    "oldest_occurred_at", Instant.ofEpochMilli(past.path("oldest").path("value").asLong()).toString(),
                    "newest_occurred_at", Instant.ofEpochMilli(past.path("newest").path("value").asLong()).toString(),
                    "retention_starts", floor.toString(), "passed_before", replayed.toString(),
                    "events_retention_days", eventsRetention.toDays()));
        }
        JsonNode value = (replayed == null ? aggregations : aggregations.path("within")).path("earliest").path("value");
        return value.isNumber() ? Optional.of(Instant.ofEpochMilli(value.asLong())) : Optional.empty();
    }

    /** The start of the first {@code interval} bucket at or after {@code t}. */
    static Instant ceil(Interval interval, Instant t) {
        Instant floor = interval.bucketStart(t);
        return floor.equals(t) ? t : interval.next(floor);
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
