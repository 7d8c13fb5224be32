package dev.rollcall.aggregate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rollcall.core.rollup.AlertDimensions;
import dev.rollcall.core.rollup.HourlyRollup;
import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.MetricsAccumulator;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.rollup.RollupMetrics;

/**
 * Receives the hours of [{@code emitFrom}, {@code end}) as the stream completes them and publishes hour, day and
 * month rollups in the same pass: a day is the sum of its hours and a month the sum of its days. Hours before
 * {@code emitFrom} (the replay that rebuilds state) are dropped. Where the window covers a day or month only in
 * part, the stored rollups of the rest are read back and added, so every published bucket is whole.
 */
final class RollupPublisher implements HourlyRollup.HourSink {

    private final Instant emitFrom;
    private final Instant end;
    private final Set<Interval> written;
    private final StoredRollups stored;
    private final ShardSpec shard;
    private final RollupOutput output;
    private final Instant computedAt;
    private final String jobId;
    private final Map<Interval, Long> published = new EnumMap<>(Interval.class);
    private Map<AlertDimensions, MetricsAccumulator> day = new HashMap<>();
    private Map<AlertDimensions, MetricsAccumulator> month = new HashMap<>();
    private Instant dayStart;
    private Instant monthStart;

    RollupPublisher(Instant emitFrom, Instant end, Set<Interval> written, StoredRollups stored, ShardSpec shard,
                    RollupOutput output, Instant computedAt, String jobId) {
        this.emitFrom = emitFrom;
        this.end = end;
        this.written = written;
        this.stored = stored;
        this.shard = shard;
        this.output = output;
        this.computedAt = computedAt;
        this.jobId = jobId;
        for (Interval i : Interval.values()) {
            published.put(i, 0L);
        }
    }

    @Override
    public void hourCompleted(Instant hour, Map<AlertDimensions, RollupMetrics> rollups) {
        if (hour.isBefore(emitFrom) || !hour.isBefore(end)) {
            return;
        }
        if (dayStart == null) {
            dayStart = Interval.DAY.bucketStart(hour);
            monthStart = Interval.MONTH.bucketStart(hour);
        }
        publish(Interval.HOUR, hour, rollups);
        rollups.forEach((dims, metrics) -> day.computeIfAbsent(dims, d -> new MetricsAccumulator()).add(metrics));
        Instant next = Interval.HOUR.next(hour);
        if (next.equals(Interval.DAY.next(dayStart)) || !next.isBefore(end)) {
            completeDay();
        }
    }

    /** Rollups published per interval (written, or counted in a dry run). */
    Map<Interval, Long> published() {
        return Map.copyOf(published);
    }

    private void completeDay() {
        Instant dayEnd = Interval.DAY.next(dayStart);
        addStored(Interval.HOUR, dayStart, RunPlanner.min(emitFrom, dayEnd), day);
        addStored(Interval.HOUR, RunPlanner.max(end, dayStart), dayEnd, day);
        Map<AlertDimensions, RollupMetrics> whole = finish(day);
        publish(Interval.DAY, dayStart, whole);
        whole.forEach((dims, metrics) -> month.computeIfAbsent(dims, d -> new MetricsAccumulator()).add(metrics));
        day = new HashMap<>();
        if (dayEnd.equals(Interval.MONTH.next(monthStart)) || !dayEnd.isBefore(end)) {
            completeMonth();
        }
        dayStart = dayEnd;
    }

    private void completeMonth() {
        Instant monthEnd = Interval.MONTH.next(monthStart);
        Instant firstDay = Interval.DAY.bucketStart(emitFrom);
        Instant afterLastDay = RunPlanner.ceil(Interval.DAY, end);
        addStored(Interval.DAY, monthStart, RunPlanner.min(firstDay, monthEnd), month);
        addStored(Interval.DAY, RunPlanner.max(afterLastDay, monthStart), monthEnd, month);
        publish(Interval.MONTH, monthStart, finish(month));
        month = new HashMap<>();
        monthStart = monthEnd;
    }

    private void addStored(Interval interval, Instant from, Instant to, Map<AlertDimensions, MetricsAccumulator> into) {
        stored.forEach(interval, from, to, shard, doc ->
                into.computeIfAbsent(AlertDimensions.of(doc.key()), d -> new MetricsAccumulator()).add(doc.metrics()));
    }

    private void publish(Interval interval, Instant bucket, Map<AlertDimensions, RollupMetrics> rollups) {
        List<RollupDocument> docs = new ArrayList<>(rollups.size());
        rollups.forEach((dims, metrics) -> {
            if (!metrics.isZero()) {
                docs.add(new RollupDocument(dims.key(interval, bucket), metrics, computedAt, jobId));
            }
        });
        if (written.contains(interval) && !docs.isEmpty()) {
            output.write(docs);
            published.merge(interval, (long) docs.size(), Long::sum);
        }
    }

    private static Map<AlertDimensions, RollupMetrics> finish(Map<AlertDimensions, MetricsAccumulator> accumulated) {
        Map<AlertDimensions, RollupMetrics> done = new HashMap<>(accumulated.size() * 4 / 3 + 1);
        accumulated.forEach((dims, acc) -> done.put(dims, acc.toMetrics()));
        return done;
    }
}
