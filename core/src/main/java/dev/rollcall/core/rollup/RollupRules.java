package dev.rollcall.core.rollup;

import java.time.Duration;

/**
 * The thresholds that turn an event stream into noise metrics; see {@link RollupMetrics} for how each is used.
 *
 * @param flapChanges         state changes within {@code flapWindow} that make a flapping run
 * @param flapWindow          how close together those changes must be
 * @param transientThreshold  an episode resolved within this long (inclusive) is transient
 * @param standingThreshold   an episode still firing after this long is standing
 * @param correlationWindow   a firing this soon (inclusive) after another fingerprint of the same service fired is correlated
 * @param episodeMaxAge       an episode open this long is dropped (a source that never resolves must not stay open
 *                            forever); its firing time stops there and a later resolution pairs with nothing
 */
public record RollupRules(int flapChanges, Duration flapWindow, Duration transientThreshold, Duration standingThreshold,
                          Duration correlationWindow, Duration episodeMaxAge) {

    /** Pages of one fingerprint within this long of its previous page are one interruption (inclusive). */
    public static final Duration INTERRUPTION_GAP = Duration.ofSeconds(60);

    public static final RollupRules DEFAULTS = new RollupRules(4, Duration.ofHours(1), Duration.ofMinutes(5),
            Duration.ofHours(24), Duration.ofMinutes(5), Duration.ofDays(7));

    public RollupRules {
        if (flapChanges < 2) {
            throw new IllegalArgumentException("flap changes must be 2 or more, got " + flapChanges);
        }
        for (Duration d : new Duration[] {flapWindow, transientThreshold, standingThreshold, correlationWindow, episodeMaxAge}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("rollup thresholds must be positive durations, got " + d);
            }
        }
        if (standingThreshold.compareTo(episodeMaxAge) >= 0) {
            throw new IllegalArgumentException("the standing threshold (" + standingThreshold
                    + ") must be shorter than the episode max age (" + episodeMaxAge + ")");
        }
    }
}
