package dev.rollcall.aggregate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Progress lines at a steady pace: events read of the total, events/s, rollups written, stream time and ETA. */
final class Progress {

    private final JsonLog log;
    private final Clock clock;
    private final long total;
    private final Duration every;
    private final LongSupplier written;
    private final Supplier<Instant> streamClock;
    private final Instant started;
    private Instant lastLine;
    private long read;

    Progress(JsonLog log, Clock clock, long total, Duration every, LongSupplier written, Supplier<Instant> streamClock) {
        this.log = log;
        this.clock = clock;
        this.total = total;
        this.every = every;
        this.written = written;
        this.streamClock = streamClock;
        this.started = clock.instant();
        this.lastLine = started;
    }

    long read() {
        return read;
    }

    void eventsRead(int n) {
        read += n;
        Instant now = clock.instant();
        if (!now.isBefore(lastLine.plus(every))) {
            lastLine = now;
            log.info("progress", fields(now));
        }
    }

    private Map<String, Object> fields(Instant now) {
        double seconds = Math.max(1, Duration.between(started, now).toMillis()) / 1000.0;
        double rate = read / seconds;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("events_read", read);
        f.put("events_total", total);
        f.put("events_per_s", Math.round(rate));
        f.put("buckets_written", written.getAsLong());
        f.put("stream_at", streamClock.get().toString());
        f.put("eta_s", rate > 0 ? Math.round(Math.max(0, total - read) / rate) : null);
        return f;
    }
}
