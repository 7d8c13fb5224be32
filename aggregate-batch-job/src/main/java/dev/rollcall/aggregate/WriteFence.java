package dev.rollcall.aggregate;

import java.time.Instant;

/**
 * What a write on a background thread checks first: that the run still holds its lease, and until when it may go
 * on retrying. Without it a write retrying a busy domain could land after another plan took the lease over.
 */
interface WriteFence {

    /** A run that writes without a lease: a dry run, or a test of the writer alone. */
    WriteFence NONE = new WriteFence() {
        @Override
        public void ensureHeld() {
            // nothing to lose
        }

        @Override
        public Instant writableUntil() {
            return Instant.MAX;
        }

        @Override
        public LeaseHeldException expired() {
            throw new IllegalStateException("a run without a lease has none to expire");
        }
    };

    /** Throws {@link LeaseHeldException} when the run may no longer write. */
    void ensureHeld();

    /** The time after which no write of the run may land. */
    Instant writableUntil();

    /** What a write cut short at {@link #writableUntil()} fails the run with. */
    LeaseHeldException expired();
}
