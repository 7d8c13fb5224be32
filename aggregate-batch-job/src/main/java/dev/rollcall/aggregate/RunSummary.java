package dev.rollcall.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.JobDoneLine;

/**
 * What a run did, for its last log line and for callers timing it in-process (the bench module).
 *
 * @param eventsRead     events read: the replay from the start snapshot included and, in an array child, every
 *                       firing (for correlation)
 * @param eventsRolledUp events of the window this run rolled up: over an array's children, the window's events
 * @param rollups        rollups published per interval (written, or counted by a dry run)
 * @param planComplete   every shard of the plan is done (always, outside array jobs): the run lease was released
 * @param superseded     a later plan had already rolled up past this one's window: nothing was read or written
 * @param peakHeapBytes  the sum of the heap pools' peak usage during the run (an upper bound of the peak)
 * @param computedUntilLag how far the watermark this run moved trails the clock; null when it did not move it
 */
public record RunSummary(String jobId, JobArguments.Mode mode, Instant emitFrom, Instant end, Instant replayFrom,
                         String shard, long eventsRead, long eventsRolledUp, Map<Interval, Long> rollups, long staleRollupsDeleted,
                         int carrySnapshots, int openEpisodes, int rejectedPages, boolean watermarkMoved, boolean planComplete,
                         boolean superseded, boolean dryRun,
                         Duration elapsed, long peakHeapBytes, Duration computedUntilLag) {

    public RunSummary {
        rollups = Map.copyOf(rollups);
    }

    public long rollupsTotal() {
        return rollups.values().stream().mapToLong(Long::longValue).sum();
    }

    public double eventsPerSecond() {
        return elapsed.isZero() ? 0 : eventsRead * 1000.0 / elapsed.toMillis();
    }

    Map<String, Object> fields() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        f.put("from", emitFrom.toString());
        f.put("to", end.toString());
        f.put("replay_from", replayFrom.toString());
        f.put("shard", shard);
        f.put(JobDoneLine.EVENTS_READ, eventsRead);
        f.put(JobDoneLine.EVENTS_ROLLED_UP, eventsRolledUp);
        f.put("events_per_s", Math.round(eventsPerSecond()));
        rollups.forEach((interval, n) -> f.put("rollups_" + interval.wire(), n));
        f.put("stale_rollups_deleted", staleRollupsDeleted);
        f.put("carry_snapshots", carrySnapshots);
        f.put("open_episodes", openEpisodes);
        f.put("rejected_pages", rejectedPages);
        f.put(JobDoneLine.WATERMARK_MOVED, watermarkMoved);
        if (computedUntilLag != null) {
            f.put(JobDoneLine.COMPUTED_UNTIL_LAG_S, computedUntilLag.toSeconds());
        }
        f.put("plan_complete", planComplete);
        f.put("superseded", superseded);
        f.put(JobDoneLine.DRY_RUN, dryRun);
        f.put("elapsed_ms", elapsed.toMillis());
        f.put("peak_heap_mb", peakHeapBytes / (1024 * 1024));
        return f;
    }
}
