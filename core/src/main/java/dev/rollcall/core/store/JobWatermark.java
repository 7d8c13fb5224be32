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

    private JobWatermark() {
    }
}
