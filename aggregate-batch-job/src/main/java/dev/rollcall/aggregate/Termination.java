package dev.rollcall.aggregate;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The container being stopped: Batch sends SIGTERM on a job timeout, a TerminateJob or a Spot reclaim, and SIGKILL
 * 30 s later. A shutdown hook asks the run to stop at its next check (between pages and before writes), interrupts
 * it where it waits (a back-off from OpenSearch, the lease, its rollup writes), and gives it {@link #GRACE} to say so
 * and give up its run lease, which would otherwise keep the next run out until it expired.
 */
final class Termination {

    /** Well inside the 30 s Batch leaves between SIGTERM and SIGKILL. */
    static final Duration GRACE = Duration.ofSeconds(20);

    private volatile boolean requested;
    private final CountDownLatch wrappedUp = new CountDownLatch(1);

    /** Registers the hook that requests termination of the run on this thread and waits for it to wrap up. */
    static Termination onShutdown() {
        Termination termination = new Termination();
        Thread run = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            termination.requested = true;
            if (termination.wrappedUp.getCount() > 0) {
                // Waits of minutes (OpenSearch back-off, the lease) would otherwise outlast the grace unnoticed.
                run.interrupt();
            }
            try {
                termination.wrappedUp.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "termination"));
        return termination;
    }

    boolean requested() {
        return requested;
    }

    /** The run has logged and released what it holds; the JVM may halt. */
    void wrappedUp() {
        wrappedUp.countDown();
    }

    /**
     * Runs {@code cleanup} with this thread's interrupt set aside, and sets it again after: a stop interrupts the run,
     * and an interrupted request fails at once, but what the run gives back (its lease, its point-in-time) must still
     * reach OpenSearch, or the next runs wait for it to expire.
     */
    static void despiteInterrupt(Runnable cleanup) {
        boolean interrupted = Thread.interrupted();
        try {
            cleanup.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
