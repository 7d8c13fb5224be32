package dev.rollcall.aggregate;

import java.time.Instant;

/**
 * What one run computes, fixed before it starts and shared by every child and retry of one Batch job: rollups for
 * the hours of [{@code emitFrom}, {@code end}), computed by streaming events from {@code replayFrom}, where the
 * carry state is a stored snapshot ({@code fromSnapshot}) or empty.
 *
 * @param next       the watermark to store once every rollup is acknowledged; null for runs that leave it alone
 * @param generation identifies this plan's carry snapshots (the Batch parent job id, or the local run's id)
 */
record RunPlan(JobArguments.Mode mode, Instant emitFrom, Instant end, Instant replayFrom, boolean fromSnapshot,
               WatermarkStore.Watermark next, String generation, Instant plannedAt) {

    boolean hasWork() {
        return emitFrom.isBefore(end);
    }
}
