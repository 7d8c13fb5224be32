package dev.rollcall.core.rollup;

/**
 * The numbers of one rollup bucket. Every field but {@code lastFiredAt} (a maximum) is a sum, so a day's metrics are
 * the sum of its hours' and a month's the sum of its days' ({@link #plus}); distinct alerts are counted at query time
 * from the {@code fingerprint} dimension.
 *
 * @param events        alert events that occurred in the bucket
 * @param firing        firing events
 * @param resolved      resolved events (a resolution that ends an episode counts, with its event, under the
 *                      dimensions of the firing that opened it)
 * @param info          info events
 * @param pages         firing events of urgency {@code high}
 * @param interruptions pages, with pages of one fingerprint within 60 s of its previous page counted once
 * @param episodes      firing episodes (a firing paired with its resolution, per fingerprint) that resolved in the bucket
 * @param resolveMsSum  sum of those episodes' resolve times, ms (mean = resolveMsSum / episodes)
 * @param resolveTimes  those episodes' resolve times as a mergeable sketch (p50, p90)
 * @param firingMs      time this fingerprint spent firing inside the bucket, ms
 * @param duplicates    firing events of a fingerprint that was already open (no resolution in between), except a
 *                      page escalating an episode a non-paging firing opened
 * @param correlated    firing events of a fingerprint that fired within the correlation window of another
 *                      fingerprint of the same service (one incident, several alarms), a page only after another
 *                      page; the first one is not counted
 * @param flaps         state changes that belong to a flapping run (N or more changes within the flap window)
 * @param transients    episodes that resolved by themselves within the transient threshold
 * @param standing      episodes still firing past the standing threshold, counted in the bucket where they crossed it
 * @param ignored       events of urgency {@code ignore} (a resolution's as it counts, see {@code resolved})
 * @param classified    firings whose noise classification became final in the bucket: each firing once, when its
 *                      last open question (transient, flapping, standing) is answered, which is the firing itself
 *                      for ignored, duplicate and correlated ones
 * @param actionable    of those, the firings in no noise category (see {@link HourlyRollup}), so never more than
 *                      {@code classified}
 * @param lastFiredAt   when the latest of the firing events occurred, epoch ms; 0 without one. It says which of an
 *                      alert's rollups of a day or month holds its latest name and dimensions, which the bucket start
 *                      alone cannot
 */
public record RollupMetrics(long events, long firing, long resolved, long info, long pages, long interruptions,
                            long episodes, long resolveMsSum, ResolveTimeSketch resolveTimes, long firingMs,
                            long duplicates, long correlated, long flaps, long transients, long standing, long ignored,
                            long classified, long actionable, long lastFiredAt) {

    public static final RollupMetrics ZERO = new RollupMetrics(0, 0, 0, 0, 0, 0, 0, 0, ResolveTimeSketch.empty(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public RollupMetrics {
        resolveTimes = resolveTimes == null ? ResolveTimeSketch.empty() : resolveTimes;
    }

    /** The field-by-field sum of two buckets' metrics (the later of their latest firings). */
    public RollupMetrics plus(RollupMetrics o) {
        return new RollupMetrics(events + o.events, firing + o.firing, resolved + o.resolved, info + o.info,
                pages + o.pages, interruptions + o.interruptions, episodes + o.episodes, resolveMsSum + o.resolveMsSum,
                resolveTimes.merge(o.resolveTimes), firingMs + o.firingMs, duplicates + o.duplicates,
                correlated + o.correlated, flaps + o.flaps, transients + o.transients, standing + o.standing, ignored + o.ignored,
                classified + o.classified, actionable + o.actionable, Math.max(lastFiredAt, o.lastFiredAt));
    }

    public boolean isZero() {
        return equals(ZERO);
    }
}
