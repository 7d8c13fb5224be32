package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.rollup.RollupKey;
import dev.rollcall.core.rollup.RollupMetrics;
import dev.rollcall.core.store.BulkDocument;
import dev.rollcall.core.store.BulkIndexer;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.ItemOutcome;
import dev.rollcall.core.store.OpenSearchRefusedException;
import dev.rollcall.servers.MovingClock;

/** The background writer without a server: what a stop does to a run waiting for room in its queue, and its lease check. */
class RollupOutputTest {

    private static final RollupDocument ROLLUP = new RollupDocument(new RollupKey(Interval.HOUR, Instant.parse("2026-08-05T09:00:00Z"),
            "checkout", "cloudwatch", "high", "critical", "123456789012", "prod", "alarm-a", "a"), RollupMetrics.ZERO,
            Instant.parse("2026-08-05T10:00:00Z"), "job");
    private static final RollupDocument OTHER_ROLLUP = new RollupDocument(new RollupKey(Interval.HOUR, Instant.parse("2026-08-05T09:00:00Z"),
            "checkout", "cloudwatch", "high", "critical", "123456789012", "prod", "alarm-b", "b"), RollupMetrics.ZERO,
            Instant.parse("2026-08-05T10:00:00Z"), "job");
    private static final BulkDocument SNAPSHOT = new BulkDocument("rollcall-state", "carry-1", "{}".getBytes(StandardCharsets.UTF_8), false);

    @Test
    void aStopEndsTheWaitForRoomInAFullQueueAtOnce() throws InterruptedException {
        RollupOutput.Background output = new RollupOutput.Background(RollupOutputTest::unreachable, Clock.systemUTC(), Duration.ofMinutes(10), WriteFence.NONE);
        CountDownLatch domainAnswers = new CountDownLatch(1);
        try {
            // Two writes running and two queued: writes retrying a busy domain fill it like this.
            for (int i = 0; i < 4; i++) {
                output.alongside("a snapshot", () -> List.of(SNAPSHOT), (docs, until) -> {
                    await(domainAnswers);
                    return written(docs);
                });
            }
            AtomicReference<RuntimeException> thrown = new AtomicReference<>();
            CountDownLatch ended = new CountDownLatch(1);
            Thread run = new Thread(() -> {
                try {
                    output.alongside("a snapshot", () -> List.of(SNAPSHOT), (docs, until) -> written(docs));
                } catch (RuntimeException e) {
                    thrown.set(e);
                } finally {
                    ended.countDown();
                }
            });
            run.start();
            assertThat(ended.await(200, TimeUnit.MILLISECONDS)).as("the fifth write waits for room").isFalse();

            run.interrupt();

            assertThat(ended.await(2, TimeUnit.SECONDS)).as("the stop ends the wait").isTrue();
            assertThat(thrown.get()).isInstanceOf(TerminatedException.class);
        } finally {
            domainAnswers.countDown();
            output.abandon();
        }
    }

    @Test
    void aWriteAfterTheLeaseCanNoLongerBeKeptIsNotMadeAndTheRunFailsWithTheLeasesReason() {
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), Instant.parse("2026-08-05T10:05:00Z"));
        AtomicInteger ran = new AtomicInteger();
        LeaseHeldException lapsed = LeaseHeldException.expiring(own, Instant.parse("2026-08-05T10:00:00Z"));
        WriteFence expiring = fence(() -> {
            throw lapsed;
        }, () -> own.expiresAt().minus(Duration.ofMinutes(1)), lapsed);
        RollupOutput.Background output = new RollupOutput.Background(RollupOutputTest::unreachable, Clock.systemUTC(), Duration.ofMinutes(10), expiring);

        output.alongside("a snapshot", () -> List.of(SNAPSHOT), (docs, until) -> {
            ran.incrementAndGet();
            return written(docs);
        });

        assertThatThrownBy(output::finish).isInstanceOfSatisfying(LeaseHeldException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_EXPIRED));
        assertThat(ran).as("the write was not made").hasValue(0);
    }

    static Stream<Arguments> bulkOutcomes() {
        Duration tenMinutes = Duration.ofMinutes(10);
        return Stream.of(
                Arguments.of("busy until the lease's time, the lease not renewed", ItemOutcome.Status.RETRY_LATER, "429", true, tenMinutes,
                        false, LeaseHeldException.class, 1),
                Arguments.of("busy until the lease's time, renewed meanwhile: retried to its own deadline", ItemOutcome.Status.RETRY_LATER, "429",
                        true, tenMinutes, true, OpenSearchUnavailableException.class, 2),
                Arguments.of("refused before the lease's time", ItemOutcome.Status.REJECTED, "mapper_parsing_exception", false, tenMinutes, false,
                        IllegalStateException.class, 1),
                Arguments.of("a write block under the lease's time", ItemOutcome.Status.RETRY_LATER, BulkIndexer.WRITES_BLOCKED + " (403)", false,
                        tenMinutes, false, OpenSearchRefusedException.class, 1),
                Arguments.of("given up at once, long before the lease's time", ItemOutcome.Status.RETRY_LATER, BulkIndexer.INDEX_NOT_CREATED, false,
                        tenMinutes, false, OpenSearchRefusedException.class, 1),
                Arguments.of("busy until its own deadline, the lease's later", ItemOutcome.Status.RETRY_LATER, "429", true, Duration.ofSeconds(10),
                        false, OpenSearchUnavailableException.class, 1));
    }

    /**
     * A bulk write is retried in steps that end where the lease stops the run writing, and fails the run for the lease
     * only when OpenSearch was still busy there and the lease was not renewed meanwhile.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bulkOutcomes")
    void aBulkWriteIsRetriedNoFurtherThanTheLeaseAllows(String name, ItemOutcome.Status outcome, String reason, boolean retriedToItsDeadline,
                                                        Duration deadline, boolean renewed, Class<? extends RuntimeException> failure,
                                                        int writes) {
        Instant started = Instant.parse("2026-08-05T10:00:30Z");
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), leaseTime.plus(Duration.ofMinutes(1)));
        // Moved by the fake writer to where a real write would have given up.
        MovingClock now = new MovingClock(started);
        List<Instant> deadlines = new CopyOnWriteArrayList<>();
        // Held at the time of each write.
        WriteFence fence = fence(() -> { }, () -> renewed && !deadlines.isEmpty() ? leaseTime.plus(Duration.ofHours(1)) : leaseTime,
                LeaseHeldException.expiring(own, own.takenAt()));
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            deadlines.add(until);
            if (retriedToItsDeadline) {
                now.set(until);
            }
            return new BulkResult(rollups.stream().map(r -> new ItemOutcome(r.id(), outcome, reason)).toList(), 1, 0);
        }, now, deadline, fence);

        output.write(List.of(ROLLUP));

        assertThatThrownBy(output::finish).isExactlyInstanceOf(failure);
        Instant ownDeadline = started.plus(deadline);
        assertThat(deadlines).hasSize(writes).first().isEqualTo(ownDeadline.isBefore(leaseTime) ? ownDeadline : leaseTime);
        if (writes > 1) {
            assertThat(deadlines.get(1)).as("after the renewal, its own deadline binds").isEqualTo(ownDeadline);
        }
    }

    /** A renewal that found another plan holding the lease during a write: the run stops for that, whatever the write's outcome. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomesOfAWriteDuringWhichTheLeaseWasLost")
    void aLeaseLostDuringAWriteIsWhyTheRunStops(String name, ItemOutcome.Status outcome) {
        Instant started = Instant.parse("2026-08-05T10:00:30Z");
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease thief = new RunLease("other", "other", leaseTime, leaseTime.plus(Duration.ofMinutes(5)));
        MovingClock now = new MovingClock(started);
        AtomicInteger writes = new AtomicInteger();
        WriteFence lostMidWrite = fence(() -> {
            if (writes.get() > 0) {
                throw new LeaseHeldException(thief, true);
            }
        }, () -> leaseTime, LeaseHeldException.expiring(thief, started));
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            writes.incrementAndGet();
            now.set(until);
            return new BulkResult(rollups.stream().map(r -> new ItemOutcome(r.id(), outcome, "429")).toList(), 1, 0);
        }, now, Duration.ofMinutes(10), lostMidWrite);

        output.write(List.of(ROLLUP));

        assertThatThrownBy(output::finish).isInstanceOfSatisfying(LeaseHeldException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_LOST));
        assertThat(writes).hasValue(1);
    }

    /** An Error in a writer (out of memory, say) fails the run: it must not finish as if the write had been made. */
    @Test
    void anErrorInAWriterFailsTheRun() {
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            throw new OutOfMemoryError("test");
        }, Clock.systemUTC(), Duration.ofMinutes(10), WriteFence.NONE);

        output.write(List.of(ROLLUP));

        assertThatThrownBy(output::finish).isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("failed with an Error");
        assertThat(output.acknowledged()).isZero();
    }

    /** A step after the lease was renewed sends again only the documents OpenSearch did not take in the steps before. */
    @Test
    void aStepAfterARenewalSendsOnlyWhatIsStillNotWritten() {
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), leaseTime.plus(Duration.ofMinutes(1)));
        MovingClock now = new MovingClock(Instant.parse("2026-08-05T10:00:30Z"));
        List<List<String>> sent = new CopyOnWriteArrayList<>();
        WriteFence renewedAfterTheFirstStep = fence(() -> { }, () -> sent.isEmpty() ? leaseTime : leaseTime.plus(Duration.ofHours(1)),
                LeaseHeldException.expiring(own, own.takenAt()));
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            sent.add(rollups.stream().map(RollupDocument::id).toList());
            now.set(until);
            // The first step: OpenSearch took the first rollup and kept answering 429 for the second up to the lease's time.
            return new BulkResult(rollups.stream().map(r -> sent.size() == 1 && r.equals(OTHER_ROLLUP)
                    ? new ItemOutcome(r.id(), ItemOutcome.Status.RETRY_LATER, "429")
                    : new ItemOutcome(r.id(), ItemOutcome.Status.INDEXED, "")).toList(), 1, 0);
        }, now, Duration.ofMinutes(10), renewedAfterTheFirstStep);

        output.write(List.of(ROLLUP, OTHER_ROLLUP));
        output.finish();

        assertThat(sent).containsExactly(List.of(ROLLUP.id(), OTHER_ROLLUP.id()), List.of(OTHER_ROLLUP.id()));
        assertThat(output.acknowledged()).isEqualTo(2);
    }

    /**
     * A carry snapshot is written under the same rules as rollups: cut short where the lease stops the run, and a
     * refusal fails the run naming the snapshot.
     */
    @Test
    void aCarrySnapshotWriteIsCutShortAtTheLeasesTimeAndARefusalNamesIt() {
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), leaseTime.plus(Duration.ofMinutes(1)));
        MovingClock now = new MovingClock(Instant.parse("2026-08-05T10:00:30Z"));
        WriteFence notRenewed = fence(() -> { }, () -> leaseTime, LeaseHeldException.expiring(own, own.takenAt()));
        List<Instant> deadlines = new CopyOnWriteArrayList<>();
        RollupOutput.Background busy = new RollupOutput.Background(RollupOutputTest::unreachable, now, Duration.ofMinutes(10), notRenewed);

        busy.alongside("the carry snapshot at 2026-08-05T10:00:00Z", () -> List.of(SNAPSHOT), (docs, until) -> {
            deadlines.add(until);
            now.set(until);
            return new BulkResult(docs.stream().map(d -> new ItemOutcome(d.id(), ItemOutcome.Status.RETRY_LATER, "429")).toList(), 1, 0);
        });

        assertThatThrownBy(busy::finish).isInstanceOfSatisfying(LeaseHeldException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_EXPIRED));
        assertThat(deadlines).containsExactly(leaseTime);

        RollupOutput.Background refusing = new RollupOutput.Background(RollupOutputTest::unreachable, now, Duration.ofMinutes(10), WriteFence.NONE);
        refusing.alongside("the carry snapshot at 2026-08-05T10:00:00Z", () -> List.of(SNAPSHOT), (docs, until) -> new BulkResult(
                docs.stream().map(d -> new ItemOutcome(d.id(), ItemOutcome.Status.REJECTED, "mapper_parsing_exception")).toList(), 1, 0));

        assertThatThrownBy(refusing::finish).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("writing the carry snapshot at 2026-08-05T10:00:00Z failed: mapper_parsing_exception");
    }

    /**
     * A write retrying in steps under a renewed lease goes no further once the run failed elsewhere (another batch, or
     * the run abandoned): its next step would land rollups the failed run no longer stands behind.
     */
    @Test
    void aWriteRetryingUnderARenewedLeaseStopsOnceTheRunHasFailed() throws InterruptedException {
        Instant started = Instant.parse("2026-08-05T10:00:30Z");
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), leaseTime.plus(Duration.ofMinutes(1)));
        MovingClock now = new MovingClock(started);
        AtomicInteger writes = new AtomicInteger();
        // Renewed after every step, so only the run's failure can end the retries before the writer's own deadline.
        WriteFence renewedEachStep = fence(() -> { }, () -> leaseTime.plus(Duration.ofMinutes(writes.get())),
                LeaseHeldException.expiring(own, own.takenAt()));
        CountDownLatch writing = new CountDownLatch(1);
        AtomicReference<Thread> abandoning = new AtomicReference<>();
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            if (writes.incrementAndGet() == 1) {
                writing.countDown();
                awaitWaiting(abandoning);
            }
            now.set(until);
            return new BulkResult(rollups.stream().map(r -> new ItemOutcome(r.id(), ItemOutcome.Status.RETRY_LATER, "429")).toList(), 1, 0);
        }, now, Duration.ofMinutes(10), renewedEachStep);

        output.write(List.of(ROLLUP));
        assertThat(writing.await(5, TimeUnit.SECONDS)).as("the first step is under way").isTrue();
        Thread abandon = new Thread(output::abandon);
        abandoning.set(abandon);
        abandon.start();
        abandon.join(10_000);

        assertThat(writes).as("no step after the run failed").hasValue(1);
        assertThatThrownBy(output::finish).isExactlyInstanceOf(IllegalStateException.class).hasMessageContaining("abandoned");
    }

    /**
     * Returns once the thread {@code abandoning} will hold is waiting for the writes under way: {@code abandon()} marks
     * the run failed before it starts waiting.
     */
    private static void awaitWaiting(AtomicReference<Thread> abandoning) {
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (abandoning.get() == null || abandoning.get().getState() != Thread.State.TIMED_WAITING) {
            if (System.nanoTime() > giveUpAt) {
                throw new AssertionError("abandon() never waited for the write");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    static Stream<Arguments> outcomesOfAWriteDuringWhichTheLeaseWasLost() {
        return Stream.of(Arguments.of("busy up to the lease's time", ItemOutcome.Status.RETRY_LATER),
                Arguments.of("refused", ItemOutcome.Status.REJECTED));
    }

    /** A fence that checks with {@code ensureHeld}, ends at {@code writableUntil} and fails with {@code expired}. */
    private static WriteFence fence(Runnable ensureHeld, Supplier<Instant> writableUntil, LeaseHeldException expired) {
        return new WriteFence() {
            @Override
            public void ensureHeld() {
                ensureHeld.run();
            }

            @Override
            public Instant writableUntil() {
                return writableUntil.get();
            }

            @Override
            public LeaseHeldException expired() {
                return expired;
            }
        };
    }

    /** Every document written. */
    private static <T> BulkResult written(List<T> documents) {
        return new BulkResult(documents.stream().map(d -> new ItemOutcome("id", ItemOutcome.Status.INDEXED, "")).toList(), 1, 0);
    }

    private static BulkResult unreachable(List<RollupDocument> rollups, Instant deadline) {
        throw new AssertionError("no rollup is written in this test");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
