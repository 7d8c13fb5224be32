package dev.rollcall.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * This plan's run lease while the run works: renewed in the background so it outlives the run only by its expiry
 * when the process dies (kill -9, Batch timeout), and checked by the run before each step that writes. A run whose
 * renewals keep failing (the state index refusing writes while the rollups' are still taken) stops writing one
 * renewal interval before its lease as last renewed expires, since another plan may take it over from then on.
 */
final class HeldLease implements WriteFence {

    private static final Duration MAX_POLL = Duration.ofSeconds(10);

    private final LeaseStore store;
    private final String plan;
    private final String jobId;
    private final Clock clock;
    private final JsonLog log;
    private final ScheduledExecutorService renewals;
    private final Duration renewEvery;
    private volatile RunLease lostTo;
    private volatile Renewal last;
    // Sticky: once the run may no longer write, a later renewal must not let it go on (another plan may have
    // taken the lease, worked and released it meanwhile, and a renewal would then start a new tenure).
    private volatile boolean lapsed;

    /** The lease as the last successful claim left it, and when that claim was asked. */
    private record Renewal(RunLease lease, Instant askedAt) {
    }

    private HeldLease(LeaseStore store, RunLease taken, Instant askedAt, Clock clock, JsonLog log, Duration renewEvery) {
        this.store = store;
        this.plan = taken.plan();
        this.jobId = taken.jobId();
        this.clock = clock;
        this.log = log;
        this.renewEvery = renewEvery;
        this.last = new Renewal(taken, askedAt);
        this.renewals = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("rollcall-lease-renewal").factory());
        renewals.scheduleWithFixedDelay(this::renew, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lease for {@code plan}, waiting up to {@code wait} (real time) while another plan holds it; then throws
     * {@link LeaseHeldException} naming the holder.
     */
    static HeldLease take(LeaseStore store, String plan, String jobId, Clock clock, Duration renewEvery, Duration wait, JsonLog log) {
        long giveUpAt = System.nanoTime() + wait.toNanos();
        Instant asked = clock.instant();
        RunLease lease = store.claim(plan, jobId, asked);
        if (!lease.heldBy(plan) && !wait.isZero()) {
            log.info("waiting_for_lease", Map.of("holder_plan", lease.plan(), "holder_job_id", lease.jobId(),
                    "holder_expires_at", lease.expiresAt().toString(), "wait_s", wait.toSeconds()));
            // Asking often costs one GET; the holder releases it the moment it finishes, or stops renewing it when it dies.
            Duration poll = renewEvery.compareTo(MAX_POLL) < 0 ? renewEvery : MAX_POLL;
            while (!lease.heldBy(plan) && System.nanoTime() < giveUpAt) {
                OpenSearchCalls.sleep(Duration.ofNanos(Math.min(poll.toNanos(), Math.max(1, giveUpAt - System.nanoTime()))));
                asked = clock.instant();
                lease = store.claim(plan, jobId, asked);
            }
        }
        if (!lease.heldBy(plan)) {
            throw new LeaseHeldException(lease, false);
        }
        log.info("lease_taken", Map.of("plan", plan, "taken_at", lease.takenAt().toString(), "expires_at", lease.expiresAt().toString()));
        return new HeldLease(store, lease, asked, clock, log, renewEvery);
    }

    /**
     * Throws {@link LeaseHeldException} once a renewal found another plan holding the lease, or once the lease as last
     * renewed is within one renewal interval of its expiry.
     */
    @Override
    public void ensureHeld() {
        RunLease holder = lostTo;
        if (holder != null) {
            throw new LeaseHeldException(holder, true);
        }
        Renewal renewal = last;
        if (lapsed || !clock.instant().isBefore(writableUntil(renewal))) {
            throw expired(renewal);
        }
    }

    /** Until when the run may write: one renewal interval before its lease, as last renewed, expires. */
    @Override
    public Instant writableUntil() {
        return lapsed ? Instant.MIN : writableUntil(last);
    }

    @Override
    public LeaseHeldException expired() {
        return expired(last);
    }

    private Instant writableUntil(Renewal renewal) {
        return renewal.lease().expiresAt().minus(renewEvery);
    }

    private static LeaseHeldException expired(Renewal renewal) {
        return LeaseHeldException.expiring(renewal.lease(), renewal.askedAt());
    }

    /** Stops renewing; with {@code release}, gives the lease up so the next run need not wait for it to expire. */
    void close(boolean release) {
        renewals.shutdownNow();
        try {
            renewals.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!release || lostTo != null) {
            return;
        }
        // A stop (SIGTERM) can interrupt this thread while the run wraps up.
        Termination.despiteInterrupt(() -> {
            try {
                if (store.release(plan)) {
                    log.info("lease_released", Map.of("plan", plan));
                }
            } catch (RuntimeException e) {
                // The run's outcome stands; the lease expires on its own.
                log.warn("lease_release_failed", Map.of("plan", plan, "message", String.valueOf(e.getMessage())));
            }
        });
    }

    private void lapse(Renewal before, String why) {
        lapsed = true;
        log.warn("lease_lapsed", Map.of("plan", plan, "expires_at", before.lease().expiresAt().toString(),
                "last_renewed_at", before.askedAt().toString(), "reason", why));
        renewals.shutdown();
    }

    private void renew() {
        try {
            Instant asked = clock.instant();
            Renewal before = last;
            if (!asked.isBefore(writableUntil(before))) {
                lapse(before, "the run may no longer write under it");
                return;
            }
            RunLease lease = store.claim(plan, jobId, asked);
            if (lease.heldBy(plan) && !lease.takenAt().equals(before.lease().takenAt())) {
                // Taken afresh: this run's tenure ended meanwhile, and another plan may have held it in between.
                lapse(before, "it was taken afresh at " + lease.takenAt());
                // Not given back: the tenure may be a sibling child's, started while this one stalled, and a release
                // by plan would end it. If this claim made it, it expires on its own.
            } else if (lease.heldBy(plan)) {
                last = new Renewal(lease, asked);
            } else {
                lostTo = lease;
                log.error("lease_lost", Map.of("plan", plan, "holder_plan", lease.plan(), "holder_job_id", lease.jobId(),
                        "expires_at", lease.expiresAt().toString()), null);
                renewals.shutdown();
            }
        } catch (RuntimeException e) {
            if (renewals.isShutdown()) {
                // close() interrupted a renewal in flight (shutdownNow): the run is over and its lease about to be
                // released or left, which is no failed renewal to warn about.
                return;
            }
            // Retried at the next renewal; the lease lasts several renewal intervals.
            log.warn("lease_renewal_failed", Map.of("plan", plan, "message", String.valueOf(e.getMessage())));
        }
    }
}
