package dev.rollcall.core.rollup;

import dev.rollcall.core.alert.AlertState;

/**
 * The part of an alert event that rollups are computed from. Events are fed in order of
 * ({@code occurredAt}, {@code eventId}), so events of the same millisecond have one order on every run.
 *
 * @param occurredAt epoch milliseconds
 */
public record RollupEvent(long occurredAt, String eventId, AlertDimensions dimensions, AlertState state) {

    public RollupEvent {
        if (eventId == null || dimensions == null || state == null) {
            throw new IllegalArgumentException("a rollup event needs an event id, dimensions and a state");
        }
    }

    /** Whether this event comes after {@code other} in stream order. */
    public boolean isAfter(RollupEvent other) {
        return occurredAt > other.occurredAt || occurredAt == other.occurredAt && eventId.compareTo(other.eventId) > 0;
    }
}
