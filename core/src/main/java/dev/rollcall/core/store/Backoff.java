package dev.rollcall.core.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter: attempt n waits a random time up to min(cap, base * 2^n). */
public record Backoff(Duration base, Duration cap) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /** The longest wait of attempt {@code attempt} (0-based), before jitter. */
    public Duration ceiling(int attempt) {
        long millis = base.toMillis() << Math.min(attempt, 20);
        return Duration.ofMillis(Math.min(cap.toMillis(), millis));
    }

    /** A random wait for attempt {@code attempt}, at least 1 ms. */
    public Duration delay(int attempt) {
        return Duration.ofMillis(1 + ThreadLocalRandom.current().nextLong(ceiling(attempt).toMillis()));
    }
}
