package dev.rollcall.core.normalize;

import java.time.Duration;
import java.time.Instant;

/**
 * When an alert occurred: the source's own time when it is believable, else when Rollcall first received the
 * payload. Every distinct month of {@code occurred_at} is an index of its own, so a producer with a broken clock
 * (epoch 0, year 5138, seconds sent as milliseconds) would otherwise create indices until the domain's shard limit
 * refuses next month's, and a year past 9999 cannot even be named as one.
 */
final class OccurrenceTime {

    /**
     * Before any source Rollcall reads existed (CloudWatch alarms date from 2009): epoch 0, the zero times of clocks
     * never set, and seconds read as milliseconds all fall before it.
     */
    static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    /** Clock skew tolerated ahead of arrival. */
    static final Duration AHEAD = Duration.ofDays(1);

    private OccurrenceTime() {
    }

    /** {@code sourceTime} when it lies between {@link #EARLIEST} and {@link #AHEAD} after {@code sentAt}; else {@code sentAt}. */
    static Instant of(Instant sourceTime, Instant sentAt) {
        return believable(sourceTime, sentAt) ? sourceTime : sentAt;
    }

    /** Whether the source gave a time and it is believable against {@code sentAt}. */
    static boolean believable(Instant sourceTime, Instant sentAt) {
        return sourceTime != null && !sourceTime.isBefore(EARLIEST) && !sourceTime.isAfter(sentAt.plus(AHEAD));
    }
}
