package dev.rollcall.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.store.Backoff;
import dev.rollcall.core.store.BulkDocument;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.ItemOutcome;

/** Where finished rollups go: OpenSearch, written in the background while events are still being read, or nowhere. */
interface RollupOutput {

    void write(List<RollupDocument> rollups);

    /**
     * Writes other documents ({@code what}: a carry snapshot) alongside the rollups, under the same lease and retry
     * rules; their failure fails {@link #finish()} the same way. The documents are made on the writer's thread, not
     * the reading one, and never for a dry run.
     */
    void alongside(String what, Supplier<List<BulkDocument>> documents, BulkWrite<BulkDocument> writer);

    /** Rollups OpenSearch has acknowledged (or, for a dry run, produced). */
    long acknowledged();

    /** Waits for every write; throws if any rollup was not acknowledged. */
    void finish();

    /** After a failure: starts no more writes and waits a little for those under way, so none lands much later. */
    default void abandon() {
    }

    /** A dry run: counts and forgets. */
    static RollupOutput counting() {
        AtomicLong count = new AtomicLong();
        return new RollupOutput() {
            @Override
            public void write(List<RollupDocument> rollups) {
                count.addAndGet(rollups.size());
            }

            @Override
            public void alongside(String what, Supplier<List<BulkDocument>> documents, BulkWrite<BulkDocument> writer) {
                // a dry run writes nothing
            }

            @Override
            public long acknowledged() {
                return count.get();
            }

            @Override
            public void finish() {
                // nothing pending
            }
        };
    }

    /**
     * One bulk write, retried until {@code deadline}, answering one outcome per document in order:
     * {@code RollupWriter::write}, {@code CarryStore::write}.
     */
    @FunctionalInterface
    interface BulkWrite<T> {
        BulkResult write(List<T> documents, Instant deadline);
    }

    /**
     * Bulk writes on two background threads (OpenSearch indexes a shard's bulk requests concurrently), at most a few
     * batches queued so memory stays bounded.
     */
    final class Background implements RollupOutput {
        private static final int BATCH = 4_000;
        private static final int THREADS = 2;
        // Well inside Termination.GRACE, which a stopped run also needs for its failure mark and its lease.
        private static final Duration ABANDON_WAIT = Duration.ofSeconds(5);

        private final BulkWrite<RollupDocument> writer;
        private final Clock clock;
        private final Duration deadline;
        private final WriteFence fence;
        private final ExecutorService thread = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "rollup-writer");
            t.setDaemon(true);
            return t;
        });
        private final Semaphore queued = new Semaphore(2 * THREADS);
        private final AtomicLong acknowledged = new AtomicLong();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final IllegalStateException writerError = new IllegalStateException(
                "a rollup writer thread failed with an Error (its stack trace follows on the console)");

        /**
         * {@code deadline}: how long one batch keeps being retried (429, 5xx, unreachable) before the run fails, and
         * never past {@code fence}'s time; each write first checks the fence.
         */
        Background(BulkWrite<RollupDocument> writer, Clock clock, Duration deadline, WriteFence fence) {
            this.writer = writer;
            this.clock = clock;
            this.deadline = deadline;
            this.fence = fence;
        }

        @Override
        public void write(List<RollupDocument> rollups) {
            for (int from = 0; from < rollups.size(); from += BATCH) {
                failIfFailed();
                List<RollupDocument> batch = List.copyOf(rollups.subList(from, Math.min(rollups.size(), from + BATCH)));
                awaitRoom();
                inBackground("rollups", () -> {
                    if (writeWithinTheLease(batch, writer, bad -> "rollup " + bad.id() + " was not written (" + bad.status() + "): " + bad.reason())) {
                        acknowledged.addAndGet(batch.size());
                    }
                });
            }
        }

        @Override
        public void alongside(String what, Supplier<List<BulkDocument>> documents, BulkWrite<BulkDocument> stateWriter) {
            failIfFailed();
            awaitRoom();
            inBackground(what, () -> writeWithinTheLease(documents.get(), stateWriter, bad -> "writing " + what + " failed: " + bad.reason()));
        }

        /** Runs {@code write} on a writer thread unless a write failed before; its failure is the run's. */
        private void inBackground(String what, Runnable write) {
            thread.execute(() -> {
                try {
                    if (failure.get() == null) {
                        write.run();
                    }
                } catch (LeaseHeldException e) {
                    fail(e);
                } catch (RuntimeException e) {
                    fail(new IllegalStateException("writing " + what + " failed: " + e, e));
                } catch (Error e) {
                    // Out of memory, say: the run must not finish as if this write had been made, and a failure made
                    // now could run out of memory itself.
                    fail(writerError);
                    throw e;
                } finally {
                    queued.release();
                }
            });
        }

        /**
         * Writes {@code documents}, retrying what OpenSearch keeps asking to retry until the run's deadline for a
         * batch, but in steps that end where the lease, as last renewed, stops the run writing: a step that ends there
         * goes on, with the documents still not written, only if the lease was renewed meanwhile, else the run stops
         * for its lease. Rewriting a document is idempotent (every one is written by id). True once all are written;
         * false when the run failed ({@code notWritten} says how for the first document left).
         */
        private <T> boolean writeWithinTheLease(List<T> documents, BulkWrite<T> write, Function<ItemOutcome, String> notWritten) {
            Instant retryUntil = clock.instant().plus(deadline);
            List<T> pending = documents;
            while (true) {
                if (failure.get() != null) {
                    return false; // another write failed, or the run was abandoned: nothing more goes out
                }
                fence.ensureHeld();
                Instant fenceAt = fence.writableUntil();
                if (!clock.instant().isBefore(fenceAt)) {
                    throw fence.expired();
                }
                boolean fenceBinds = fenceAt.isBefore(retryUntil);
                List<ItemOutcome> outcomes = write.write(pending, fenceBinds ? fenceAt : retryUntil).outcomes();
                List<ItemOutcome> failed = outcomes.stream().filter(o -> !o.succeeded()).toList();
                if (failed.isEmpty()) {
                    return true;
                }
                // Given up well before the lease's time (a write that is never retried, such as an index OpenSearch
                // will not create), the lease did not stop it. The job's BulkIndexer gives up at most one back-off
                // (Backoff.DEFAULT's cap, 5 s) before its deadline; with a lease shorter than about 6 s (tests only)
                // every write counts as having reached it.
                boolean reachedTheFence = !clock.instant().plus(Backoff.DEFAULT.cap()).isBefore(fenceAt);
                if (!fenceBinds || !reachedTheFence || !OpenSearchUnavailableException.busy(failed)) {
                    // A renewal may have found another plan holding the lease meanwhile: that, not OpenSearch, is
                    // then why the run stops.
                    ensureNotLost();
                    fail(OpenSearchUnavailableException.ofFailedWrites(notWritten.apply(failed.get(0)), failed, deadline));
                    return false;
                }
                if (!fence.writableUntil().isAfter(fenceAt)) {
                    // Still busy where the lease stops the run, and the lease was not renewed: it is the reason (or
                    // another plan holding it, which a renewal may have found meanwhile).
                    fence.ensureHeld();
                    throw fence.expired();
                }
                pending = stillPending(pending, outcomes);
            }
        }

        /** The documents whose outcome (one per document, in order) was not a success. */
        private static <T> List<T> stillPending(List<T> sent, List<ItemOutcome> outcomes) {
            if (outcomes.size() != sent.size()) {
                return sent; // not one outcome per document: send them all again rather than guess
            }
            List<T> left = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                if (!outcomes.get(i).succeeded()) {
                    left.add(sent.get(i));
                }
            }
            return left;
        }

        private void ensureNotLost() {
            try {
                fence.ensureHeld();
            } catch (LeaseHeldException e) {
                if (e.reason() == LeaseHeldException.Reason.LEASE_LOST) {
                    throw e;
                }
            }
        }

        /**
         * Waits for a place in the queue. The writes ahead may be retrying a busy domain for minutes, longer than the
         * grace a stopped container has, so a stop (the run's thread interrupted) ends the wait at once.
         */
        private void awaitRoom() {
            try {
                queued.acquire();
            } catch (InterruptedException e) {
                throw new TerminatedException();
            }
        }

        @Override
        public long acknowledged() {
            return acknowledged.get();
        }

        @Override
        public void finish() {
            thread.shutdown();
            try {
                while (!thread.awaitTermination(1, TimeUnit.MINUTES)) {
                    // a slow domain; the writer's own deadline ends this
                }
            } catch (InterruptedException e) {
                // The container is being stopped (Termination): the writes under way are abandoned like a failed run's.
                abandon();
                throw new TerminatedException();
            }
            failIfFailed();
        }

        @Override
        public void abandon() {
            fail(new IllegalStateException("abandoned after the run failed"));
            thread.shutdown();
            try {
                // A bulk under way cannot be called back; wait a little for it rather than for its own deadline.
                thread.awaitTermination(ABANDON_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Keeps the first failure of a write as the exception the run fails with: its type says whether OpenSearch
         * stayed busy, refused the job (its role, a write block) or the job failed, which the job reports apart.
         */
        private void fail(RuntimeException error) {
            failure.compareAndSet(null, error);
        }

        private void failIfFailed() {
            RuntimeException first = failure.get();
            if (first != null) {
                throw first;
            }
        }
    }
}
