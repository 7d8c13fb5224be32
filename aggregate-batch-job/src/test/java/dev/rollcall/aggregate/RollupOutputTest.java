package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.core.rollup.RollupKey;
import dev.rollcall.core.rollup.RollupMetrics;
import dev.rollcall.core.store.BulkResult;
import dev.rollcall.core.store.ItemOutcome;

/** The background writer without a server: what a stop does to a run waiting for room in its queue, and its lease check. */
class RollupOutputTest {

    private static final RollupDocument ROLLUP = new RollupDocument(new RollupKey(Interval.HOUR, Instant.parse("2026-08-05T09:00:00Z"),
            "checkout", "cloudwatch", "high", "critical", "123456789012", "prod", "alarm-a", "a"), RollupMetrics.ZERO,
            Instant.parse("2026-08-05T10:00:00Z"), "job");

    @Test
    void aStopEndsTheWaitForRoomInAFullQueueAtOnce() throws InterruptedException {
        RollupOutput.Background output = new RollupOutput.Background(RollupOutputTest::unreachable, Clock.systemUTC(), Duration.ofMinutes(10), WriteFence.NONE);
        CountDownLatch domainAnswers = new CountDownLatch(1);
        try {
            // Two writes running and two queued: writes retrying a busy domain fill it like this.
            for (int i = 0; i < 4; i++) {
                output.alongside(() -> await(domainAnswers));
            }
            AtomicReference<RuntimeException> thrown = new AtomicReference<>();
            CountDownLatch ended = new CountDownLatch(1);
            Thread run = new Thread(() -> {
                try {
                    output.alongside(() -> { });
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
        WriteFence expiring = new WriteFence() {
            @Override
            public void ensureHeld() {
                throw expired();
            }

            @Override
            public Instant writableUntil() {
                return own.expiresAt().minus(Duration.ofMinutes(1));
            }

            @Override
            public LeaseHeldException expired() {
                return LeaseHeldException.expiring(own, Instant.parse("2026-08-05T10:00:00Z"));
            }
        };
        RollupOutput.Background output = new RollupOutput.Background(RollupOutputTest::unreachable, Clock.systemUTC(), Duration.ofMinutes(10), expiring);

        output.alongside(ran::incrementAndGet);

        assertThatThrownBy(output::finish).isInstanceOfSatisfying(LeaseHeldException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_EXPIRED));
        assertThat(ran).as("the write was not made").hasValue(0);
    }

    static Stream<Arguments> bulkOutcomes() {
        return Stream.of(
                Arguments.of("retried until the lease's time", ItemOutcome.Status.RETRY_LATER, Duration.ofMinutes(10), LeaseHeldException.class),
                Arguments.of("refused before the lease's time", ItemOutcome.Status.REJECTED, Duration.ofMinutes(10), IllegalStateException.class),
                Arguments.of("retried until its own deadline, the lease's later", ItemOutcome.Status.RETRY_LATER, Duration.ofSeconds(10),
                        OpenSearchUnavailableException.class));
    }

    /** A bulk write is retried no longer than the lease allows, and fails the run for the lease only when that cut it short. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("bulkOutcomes")
    void aBulkWriteIsRetriedUntilTheLeasesTimeAtTheMost(String name, ItemOutcome.Status outcome, Duration deadline,
                                                        Class<? extends RuntimeException> failure) {
        Instant now = Instant.parse("2026-08-05T10:00:30Z");
        Instant leaseTime = Instant.parse("2026-08-05T10:04:00Z");
        RunLease own = new RunLease("plan", "job", Instant.parse("2026-08-05T10:00:00Z"), leaseTime.plus(Duration.ofMinutes(1)));
        WriteFence fence = new WriteFence() {
            @Override
            public void ensureHeld() {
                // held at the time of each write
            }

            @Override
            public Instant writableUntil() {
                return leaseTime;
            }

            @Override
            public LeaseHeldException expired() {
                return LeaseHeldException.expiring(own, own.takenAt());
            }
        };
        List<Instant> deadlines = new CopyOnWriteArrayList<>();
        RollupOutput.Background output = new RollupOutput.Background((rollups, until) -> {
            deadlines.add(until);
            return new BulkResult(rollups.stream().map(r -> new ItemOutcome(r.id(), outcome, "mapper_parsing_exception")).toList(), 1, 0);
        }, Clock.fixed(now, ZoneOffset.UTC), deadline, fence);

        output.write(List.of(ROLLUP));

        assertThatThrownBy(output::finish).isInstanceOf(failure);
        Instant ownDeadline = now.plus(deadline);
        assertThat(deadlines).containsExactly(ownDeadline.isBefore(leaseTime) ? ownDeadline : leaseTime);
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
