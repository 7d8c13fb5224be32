package dev.rollcall.core.rollup;

import java.util.Comparator;

import dev.rollcall.core.alert.AlertState;

/**
 * The part of an alert event that rollups are computed from, fed in {@link #STREAM_ORDER}.
 *
 * <p>There is no event id: rollups never need one, and reading it from OpenSearch costs more than the whole rest of
 * the scan. Two events with equal time, dimensions and state are interchangeable, so ordering by content is as
 * deterministic as ordering by id — across reruns, array shards (each reads a subset, in the same relative order),
 * carry snapshots and late events.
 *
 * @param occurredAt epoch milliseconds
 */
public record RollupEvent(long occurredAt, AlertDimensions dimensions, AlertState state) {

    /**
     * The one order events are fed in, on every run and in every array shard: {@code occurredAt}, then — for events of
     * one millisecond — fingerprint, state (firing, resolved, info, so a firing and its resolution in one millisecond
     * make a zero-length episode instead of leaving it open, also when the resolution carries another severity or
     * urgency, as Sentry's and Datadog's do), and the other dimensions in {@link AlertDimensions} order. That state
     * order is the one to count in only while the fingerprint's alert is closed; when it is open, {@link HourlyRollup}
     * counts the millisecond's resolutions first (a recovery and a re-trigger in one second), holding the firings back,
     * which needs no other order here since a fingerprint's events of one millisecond are adjacent.
     */
    public static final Comparator<RollupEvent> STREAM_ORDER = Comparator.comparingLong(RollupEvent::occurredAt)
            .thenComparing((RollupEvent e) -> e.dimensions().fingerprint())
            .thenComparingInt((RollupEvent e) -> stateRank(e.state()))
            .thenComparing((RollupEvent e) -> e.dimensions().service())
            .thenComparing((RollupEvent e) -> e.dimensions().source())
            .thenComparing((RollupEvent e) -> e.dimensions().urgency())
            .thenComparing((RollupEvent e) -> e.dimensions().severity())
            .thenComparing((RollupEvent e) -> e.dimensions().account())
            .thenComparing((RollupEvent e) -> e.dimensions().environment())
            .thenComparing((RollupEvent e) -> e.dimensions().name());

    public RollupEvent {
        if (dimensions == null || state == null) {
            throw new IllegalArgumentException("a rollup event needs dimensions and a state");
        }
    }

    /** Whether this event comes after {@code other} in {@link #STREAM_ORDER}. */
    public boolean isAfter(RollupEvent other) {
        return STREAM_ORDER.compare(this, other) > 0;
    }

    // Spelled out rather than the enum's declaration order, so reordering AlertState cannot change rollups.
    private static int stateRank(AlertState state) {
        return switch (state) {
            case FIRING -> 0;
            case RESOLVED -> 1;
            case INFO -> 2;
        };
    }
}
