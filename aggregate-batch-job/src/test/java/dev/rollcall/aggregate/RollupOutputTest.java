package dev.rollcall.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.rollup.RollupWriter;

/** The background writer without a server: what a stop does to a run waiting for room in its queue, and its lease check. */
class RollupOutputTest {

    @Test
    void aStopEndsTheWaitForRoomInAFullQueueAtOnce() throws InterruptedException {
        RollupOutput.Background output = new RollupOutput.Background(new RollupWriter(null, null), Clock.systemUTC(), Duration.ofMinutes(10), WriteFence.NONE);
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
                throw LeaseHeldException.expiring(own, Instant.parse("2026-08-05T10:00:00Z"));
            }

            @Override
            public Instant writableUntil() {
                return own.expiresAt().minus(Duration.ofMinutes(1));
            }
        };
        RollupOutput.Background output = new RollupOutput.Background(new RollupWriter(null, null), Clock.systemUTC(), Duration.ofMinutes(10), expiring);

        output.alongside(ran::incrementAndGet);

        assertThatThrownBy(output::finish).isInstanceOfSatisfying(LeaseHeldException.class,
                e -> assertThat(e.reason()).isEqualTo(LeaseHeldException.Reason.LEASE_EXPIRED));
        assertThat(ran).as("the write was not made").hasValue(0);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
