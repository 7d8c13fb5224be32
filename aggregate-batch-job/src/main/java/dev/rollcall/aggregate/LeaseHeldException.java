package dev.rollcall.aggregate;

/** Another plan holds the run lease: this run must not read or write the prefix's rollups and state. */
final class LeaseHeldException extends RuntimeException {

    private final RunLease holder;
    private final boolean whileRunning;

    /** @param whileRunning true when the run held the lease and lost it (it stopped renewing in time), false when refused at start */
    LeaseHeldException(RunLease holder, boolean whileRunning) {
        super((whileRunning ? "lost the run lease to plan " : "the run lease is held by plan ") + holder.plan() + " (job " + holder.jobId()
                + ") until " + holder.expiresAt(), null, false, false);
        this.holder = holder;
        this.whileRunning = whileRunning;
    }

    RunLease holder() {
        return holder;
    }

    boolean whileRunning() {
        return whileRunning;
    }
}
