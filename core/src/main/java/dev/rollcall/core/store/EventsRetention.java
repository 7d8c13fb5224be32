package dev.rollcall.core.store;

/**
 * How the aggregation job learns how long raw events are kept: the deployment deletes old monthly event indices
 * (its lifecycle policy) and passes the same number of days in this variable, so the job never recomputes buckets
 * whose events may be gone; rollups outlive the events they were computed from.
 */
public final class EventsRetention {

    /** The environment variable with the retention in days; unset where nothing deletes events (local mode). */
    public static final String VARIABLE = "ROLLCALL_EVENTS_RETENTION_DAYS";

    private EventsRetention() {
    }
}
