package dev.rollcall.core.store;

/**
 * Where the aggregation job keeps its watermark in {@code <prefix>-state}: written by the job after every incremental
 * run, read by the query API, for which it is the one exact word on how far the rollups are computed (an hour without
 * alerts leaves no rollup behind).
 */
public final class JobWatermark {

    /** The document's id in the state index. */
    public static final String ID = "watermark";
    /** Every rollup bucket before this instant (ISO-8601) is computed with every event ingested before the plan. */
    public static final String COMPUTED_UNTIL = "computed_until";
    /** When a run last moved it (ISO-8601): every hourly run does, so this says whether the job keeps running. */
    public static final String UPDATED_AT = "updated_at";
    /**
     * When collecting began (ISO-8601): the earliest ingestion of any stored event, as the first run that moved the
     * watermark with an event stored found it ({@code ROLLCALL_COLLECTING_SINCE} where the job is given it); {@code null}
     * while nothing is stored, or until a look OpenSearch refused is repeated; for a watermark an older job wrote,
     * without the field, the earliest day rollup where that is earlier (unless the variable is given). Every later write keeps it, so neither the events' retention nor a late event can move it. A month
     * before it holds only events that arrived late (an alert firing for weeks in the first delivery), not a month of
     * collecting.
     */
    public static final String COLLECTING_SINCE = "collecting_since";

    private JobWatermark() {
    }
}
