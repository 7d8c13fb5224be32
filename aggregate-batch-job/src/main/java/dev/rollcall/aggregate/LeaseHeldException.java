package dev.rollcall.aggregate;

import java.time.Instant;

/** This run may not, or may no longer, read or write the prefix's rollups and state: the run lease is not its. */
final class LeaseHeldException extends RuntimeException {

    /** Why the run does not hold the lease; its name, lower-cased, is the {@code reason} of the job's last line. */
    enum Reason {
        /** another plan held a live lease when this run asked for it */
        LEASE_HELD,
        /** a renewal found another plan holding the lease (this run stopped renewing in time: a pause, a partition) */
        LEASE_LOST,
        /** the renewals failed until the lease was about to expire, when another plan may take it over */
        LEASE_EXPIRED
    }

    private final RunLease holder;
    private final Reason reason;

    /** @param whileRunning true when the run held the lease and lost it (it stopped renewing in time), false when refused at start */
    LeaseHeldException(RunLease holder, boolean whileRunning) {
        super((whileRunning ? "lost the run lease to plan " : "the run lease is held by plan ") + holder.plan() + " (job " + holder.jobId()
                + ") until " + holder.expiresAt(), null, false, false);
        this.holder = holder;
        this.reason = whileRunning ? Reason.LEASE_LOST : Reason.LEASE_HELD;
    }

    private LeaseHeldException(RunLease own, Instant renewedAt) {
        super("the run lease, last renewed at " + renewedAt + ", expires at " + own.expiresAt()
                + " and was not renewed in time: stopped before another plan may take it over", null, false, false);
        this.holder = own;
        this.reason = Reason.LEASE_EXPIRED;
    }

    /** This run's own lease, {@code own}, last renewed at {@code renewedAt}, is too close to its expiry to write under. */
    static LeaseHeldException expiring(RunLease own, Instant renewedAt) {
        return new LeaseHeldException(own, renewedAt);
    }

    /** The lease as last seen: another plan's, or this run's own when it is {@link Reason#LEASE_EXPIRED}. */
    RunLease holder() {
        return holder;
    }

    Reason reason() {
        return reason;
    }

    boolean whileRunning() {
        return reason != Reason.LEASE_HELD;
    }
}
