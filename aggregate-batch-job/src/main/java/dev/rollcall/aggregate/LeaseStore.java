package dev.rollcall.aggregate;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Takes, renews and releases the {@link RunLease} with conditional writes ({@code op_type=create}, or
 * {@code if_seq_no}/{@code if_primary_term}), so two plans can never both hold it: of two racing writers one gets a
 * 409, reads again and sees the other's lease. Children of one plan share it, each renewing it while it works.
 */
final class LeaseStore {

    static final String ID = "lease";

    private final StateIndex state;
    private final Duration expiry;
    private final JsonLog log;

    LeaseStore(StateIndex state, Duration expiry, JsonLog log) {
        this.state = state;
        this.expiry = expiry;
        this.log = log;
    }

    /**
     * Takes or renews the lease for {@code plan} unless another plan holds a live one; answers the lease stored
     * afterwards ({@link RunLease#heldBy} tells whose). Held by {@code plan} already (a sibling child, or this
     * plan's earlier attempt that was killed), it is simply renewed: a retry need not wait for it to expire.
     */
    RunLease claim(String plan, String jobId, Instant now) {
        while (true) {
            Optional<StateIndex.Versioned> stored = state.getVersioned(ID);
            if (stored.isEmpty()) {
                RunLease fresh = new RunLease(plan, jobId, now, now.plus(expiry));
                if (state.create(ID, fresh.toJson(now))) {
                    return fresh;
                }
                continue;
            }
            RunLease held = RunLease.fromJson(stored.get().source());
            if (!held.heldBy(plan) && held.liveAt(now)) {
                return held;
            }
            RunLease renewed = held.heldBy(plan)
                    ? new RunLease(plan, jobId, held.takenAt(), RunPlanner.max(held.expiresAt(), now.plus(expiry)))
                    : new RunLease(plan, jobId, now, now.plus(expiry));
            if (state.replace(ID, stored.get(), renewed.toJson(now))) {
                if (!held.heldBy(plan)) {
                    log.warn("lease_taken_over", Map.of("previous_plan", held.plan(), "previous_job_id", held.jobId(),
                            "expired_at", held.expiresAt().toString()));
                }
                return renewed;
            }
        }
    }

    /** Deletes the lease if {@code plan} still holds it; false when it does not (taken over, or released already). */
    boolean release(String plan) {
        while (true) {
            Optional<StateIndex.Versioned> stored = state.getVersioned(ID);
            if (stored.isEmpty() || !RunLease.fromJson(stored.get().source()).heldBy(plan)) {
                return false;
            }
            if (state.delete(ID, stored.get())) {
                return true;
            }
        }
    }
}
