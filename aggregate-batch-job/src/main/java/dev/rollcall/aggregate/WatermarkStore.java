package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.alert.AlertJson;
import dev.rollcall.core.alert.Timestamps;
import dev.rollcall.core.store.JobWatermark;

/** The watermark document in {@code <prefix>-state}: how far incremental runs have got. */
final class WatermarkStore {

    static final String ID = JobWatermark.ID;

    /**
     * @param ingestedBefore every event ingested before this has been rolled up
     * @param computedUntil  every hour before this has been rolled up (an hour boundary)
     */
    record Watermark(Instant ingestedBefore, Instant computedUntil) {

        /**
         * Planned no earlier than {@code other}: storing it over {@code other} loses nothing. Plans are ordered by
         * {@code ingestedBefore} (the time they were made), then {@code computedUntil}. A later plan may stop before
         * an earlier one's {@code computedUntil}: a run capped at its window after a late event made it start early
         * must leave the hours after its end to the next run, which starts at the stored {@code computedUntil}.
         */
        boolean reaches(Watermark other) {
            return ingestedBefore.isAfter(other.ingestedBefore)
                    || ingestedBefore.equals(other.ingestedBefore) && !computedUntil.isBefore(other.computedUntil);
        }
    }

    /** Finds when collecting began, for a watermark stored without it. */
    @FunctionalInterface
    interface CollectingSinceSource {

        /** @param upgrade whether the stored watermark is an older job's, written before the field existed */
        Lookup find(boolean upgrade);
    }

    /** What a look for when collecting began found: the start, if anything is stored yet; not {@code answered} when OpenSearch would not say. */
    record Lookup(Optional<Instant> since, boolean answered) {

        static final Lookup REFUSED = new Lookup(Optional.empty(), false);
    }

    private final StateIndex state;

    WatermarkStore(StateIndex state) {
        this.state = state;
    }

    Optional<Watermark> read() {
        return state.get(ID).map(WatermarkStore::watermark);
    }

    /**
     * Stores {@code watermark} unless the stored one was planned later (see {@link Watermark#reaches}), and answers the one stored
     * after the call. Conditional on the version read, so a run that planned earlier but finishes later (a slow
     * run, a retried array child) never moves it backwards, and such a stale writer racing a newer one cannot win.
     * The stored {@link JobWatermark#COLLECTING_SINCE} is kept; {@code collectingSince} is asked (once) only when there is none.
     * This job always writes the field, {@code null} until it finds a start (nothing ingested yet), so that a watermark
     * without the field is known for an older job's; it leaves the field out only when it could not look at one of those.
     */
    Watermark advance(Watermark watermark, CollectingSinceSource collectingSince, String jobId, Instant now) {
        Lookup found = null;
        while (true) {
            Optional<StateIndex.Versioned> stored = state.getVersioned(ID);
            if (stored.isPresent()) {
                Watermark current = watermark(stored.get().source());
                if (!watermark.reaches(current)) {
                    return current;
                }
            }
            boolean ours = stored.map(s -> s.source().has(JobWatermark.COLLECTING_SINCE)).orElse(false);
            Optional<Instant> kept = stored.flatMap(s -> Timestamps.parse(s.source().path(JobWatermark.COLLECTING_SINCE)));
            if (kept.isEmpty() && found == null) {
                found = collectingSince.find(stored.isPresent() && !ours);
            }
            Optional<Instant> since = kept.isPresent() ? kept : found.since();
            boolean written = since.isPresent() || stored.isEmpty() || ours || found.answered();
            ObjectNode doc = document(watermark, since, written, jobId, now);
            if (stored.isEmpty() ? state.create(ID, doc) : state.replace(ID, stored.get(), doc)) {
                return watermark;
            }
        }
    }

    private static Watermark watermark(JsonNode doc) {
        return new Watermark(time(doc, "ingested_before"), time(doc, JobWatermark.COMPUTED_UNTIL));
    }

    private static ObjectNode document(Watermark watermark, Optional<Instant> collectingSince, boolean writeCollectingSince, String jobId,
                                       Instant now) {
        ObjectNode doc = AlertJson.mapper().createObjectNode();
        doc.put("kind", "watermark");
        doc.put("ingested_before", watermark.ingestedBefore().toString());
        doc.put(JobWatermark.COMPUTED_UNTIL, watermark.computedUntil().toString());
        if (collectingSince.isPresent()) {
            doc.put(JobWatermark.COLLECTING_SINCE, collectingSince.get().toString());
        } else if (writeCollectingSince) {
            doc.putNull(JobWatermark.COLLECTING_SINCE);
        }
        doc.put("job_id", jobId);
        doc.put(JobWatermark.UPDATED_AT, now.toString());
        return doc;
    }

    private static Instant time(JsonNode doc, String field) {
        return Timestamps.parse(doc.path(field)).orElseThrow(() -> new IllegalStateException("watermark without " + field));
    }
}
