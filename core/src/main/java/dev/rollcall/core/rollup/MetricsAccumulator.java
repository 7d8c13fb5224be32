package dev.rollcall.core.rollup;

/**
 * A mutable {@link RollupMetrics} for hot loops: one per bucket and key while a bucket is open, so counting an event
 * allocates nothing. Turned into the immutable record when the bucket is done.
 */
public final class MetricsAccumulator {

    long events;
    long firing;
    long resolved;
    long info;
    long pages;
    long interruptions;
    long episodes;
    long resolveMsSum;
    long firingMs;
    long duplicates;
    long correlated;
    long flaps;
    long transients;
    long standing;
    long ignored;
    long classified;
    long actionable;
    long lastFiredAt;
    private long[] resolveHist;
    private long resolveMin = ResolveTimeSketch.NO_MIN;
    private long resolveMax = ResolveTimeSketch.NO_MAX;

    void addEpisode(long resolveMs, boolean isTransient) {
        episodes++;
        resolveMsSum += resolveMs;
        if (resolveHist == null) {
            resolveHist = new long[ResolveTimeSketch.BUCKETS];
        }
        long time = Math.max(0, resolveMs);
        resolveHist[ResolveTimeSketch.bucketOf(time)]++;
        resolveMin = Math.min(resolveMin, time);
        resolveMax = Math.max(resolveMax, time);
        if (isTransient) {
            transients++;
        }
    }

    /** Adds another bucket's metrics, field by field. */
    public MetricsAccumulator add(RollupMetrics m) {
        events += m.events();
        firing += m.firing();
        resolved += m.resolved();
        info += m.info();
        pages += m.pages();
        interruptions += m.interruptions();
        episodes += m.episodes();
        resolveMsSum += m.resolveMsSum();
        firingMs += m.firingMs();
        duplicates += m.duplicates();
        correlated += m.correlated();
        flaps += m.flaps();
        transients += m.transients();
        standing += m.standing();
        ignored += m.ignored();
        classified += m.classified();
        actionable += m.actionable();
        lastFiredAt = Math.max(lastFiredAt, m.lastFiredAt());
        if (m.resolveTimes().count() > 0) {
            if (resolveHist == null) {
                resolveHist = new long[ResolveTimeSketch.BUCKETS];
            }
            for (int i = 0; i < ResolveTimeSketch.BUCKETS; i++) {
                resolveHist[i] += m.resolveTimes().count(i);
            }
            resolveMin = Math.min(resolveMin, m.resolveTimes().minMillis());
            resolveMax = Math.max(resolveMax, m.resolveTimes().maxMillis());
        }
        return this;
    }

    public RollupMetrics toMetrics() {
        ResolveTimeSketch sketch = resolveHist == null ? ResolveTimeSketch.empty() : ResolveTimeSketch.ofCounts(resolveHist, resolveMin, resolveMax);
        return new RollupMetrics(events, firing, resolved, info, pages, interruptions, episodes, resolveMsSum, sketch,
                firingMs, duplicates, correlated, flaps, transients, standing, ignored, classified, actionable, lastFiredAt);
    }
}
