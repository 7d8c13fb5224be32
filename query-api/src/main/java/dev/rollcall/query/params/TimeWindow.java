package dev.rollcall.query.params;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiError;

/**
 * A query's time range in whole buckets of one interval, {@code [from, to)}: a range that cuts a bucket is widened
 * to the bucket's edges, so the answer covers every bucket the range touches and says so in its echo.
 */
public record TimeWindow(Instant from, Instant to, Interval interval) {

    public static final List<String> INTERVALS = List.of("hour", "day", "month");

    public TimeWindow {
        if (!from.isBefore(to) || !interval.bucketStart(from).equals(from) || !interval.bucketStart(to).equals(to)) {
            throw new IllegalArgumentException("a window is a non-empty range of whole " + interval.wire() + "s, got " + from + " to " + to);
        }
    }

    /**
     * The window for {@code from} and {@code to} in {@code interval}; 400 when {@code from} is not before {@code to}
     * or the widened range has more buckets than the limits allow for the interval, which names {@code to} and the
     * interval: for routes whose client chose both ends and may choose the interval.
     */
    public static TimeWindow of(Instant from, Instant to, Interval interval, QueryLimits limits) {
        TimeWindow window = widened(from, to, interval);
        long buckets = window.buckets();
        int max = limits.maxBuckets(interval);
        if (buckets > max) {
            throw ApiError.badParameter("to", "from " + window.from() + " to " + window.to() + " is " + buckets + " " + interval.wire()
                    + " buckets, more than the " + max + " allowed for interval=" + interval.wire()
                    + ": shorten the range" + (interval == Interval.MONTH ? "" : " or use a coarser interval"));
        }
        return window;
    }

    /**
     * The whole buckets of {@code interval} that {@code from} to {@code to} touches, however many; 400 when
     * {@code from} is not before {@code to}. For a route that words its own limit, as one with a defaulted end must.
     */
    public static TimeWindow widened(Instant from, Instant to, Interval interval) {
        if (!from.isBefore(to)) {
            throw ApiError.badParameter("from", "from (" + from + ") must be before to (" + to + ")");
        }
        return new TimeWindow(interval.bucketStart(from), ceil(to, interval), interval);
    }

    /** Reads {@code from}, {@code to} and an optional {@code interval}; without one, the coarsest aligned with both dates. */
    public static TimeWindow read(QueryParameters parameters, Optional<Interval> defaultInterval, QueryLimits limits) {
        Instant from = parameters.instant("from");
        Instant to = parameters.instant("to");
        Optional<String> chosen = parameters.text("interval");
        Interval interval = chosen.isPresent()
                ? Interval.fromWire(parameters.choice("interval", INTERVALS, null))
                : defaultInterval.orElseGet(() -> coarsestAligned(from, to));
        return of(from, to, interval, limits);
    }

    /** The start of the first bucket at or after {@code t}. */
    public static Instant ceil(Instant t, Interval interval) {
        Instant start = interval.bucketStart(t);
        return start.equals(t) ? t : interval.next(start);
    }

    /** Month when both ends are month starts, day when both are day starts, else hour: the fewest documents to read. */
    public static Interval coarsestAligned(Instant from, Instant to) {
        for (Interval interval : List.of(Interval.MONTH, Interval.DAY)) {
            if (interval.bucketStart(from).equals(from) && interval.bucketStart(to).equals(to)) {
                return interval;
            }
        }
        return Interval.HOUR;
    }

    public long buckets() {
        return switch (interval) {
            case HOUR -> Duration.between(from, to).toHours();
            case DAY -> Duration.between(from, to).toDays();
            case MONTH -> ChronoUnit.MONTHS.between(from.atZone(ZoneOffset.UTC), to.atZone(ZoneOffset.UTC));
        };
    }

    /** The bucket starts of the window, in order. */
    public List<Instant> bucketStarts() {
        List<Instant> starts = new java.util.ArrayList<>();
        for (Instant t = from; t.isBefore(to); t = interval.next(t)) {
            starts.add(t);
        }
        return starts;
    }
}
