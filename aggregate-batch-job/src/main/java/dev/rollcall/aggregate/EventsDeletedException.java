package dev.rollcall.aggregate;

/**
 * An events index went away while a run read it (the lifecycle policy deleting an old month) before all its events in
 * the run's range were read: an expected condition, logged as one {@code failed} line without a stack trace. Read on,
 * the run would count the part read before the deletion and not the rest, which neither the events before nor those
 * after it give; the job exits 1 and Batch's retry reads what is left.
 */
final class EventsDeletedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    EventsDeletedException(String message) {
        super(message);
    }
}
