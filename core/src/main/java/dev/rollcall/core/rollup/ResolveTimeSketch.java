package dev.rollcall.core.rollup;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mergeable histogram of resolve times: fixed log-scale buckets, so hours merge into days and days into months
 * by adding counts, and OpenSearch can merge them server-side with {@code sum} aggregations.
 *
 * <p>Bucket 0 holds times under one second; bucket {@code i >= 1} holds [2^((i-1)/2), 2^(i/2)) seconds, so
 * neighbouring bounds differ by a factor of sqrt(2); quantiles interpolate inside a bucket. The last bucket
 * (about 194 days and up) is open-ended. Stored sparsely as {@code {"b<i>": count}} under {@code resolve_hist}.
 *
 * <p>It also keeps the shortest and longest time recorded, merged as a minimum and a maximum, which bound every
 * bucket's interpolation: a bucket is sqrt 2 wide, so one 10-minute episode would otherwise read p50 618 s and p90
 * 702 s, and the few episodes of one service and day (the common case) are exactly where that shows. A sketch
 * read without them (rollups written before they were stored) has unknown bounds, 0 and {@link Long#MAX_VALUE},
 * which bound nothing.
 */
public final class ResolveTimeSketch {

    public static final int BUCKETS = 50;
    private static final double LOG_SQRT2 = Math.log(Math.sqrt(2));

    /** The minimum of no times: what any time lowers. */
    public static final long NO_MIN = Long.MAX_VALUE;
    /** The maximum of no times: what any time raises (times are never negative). */
    public static final long NO_MAX = 0;
    /** Bounds that bound nothing: the times are there, but not their minimum and maximum. */
    public static final long UNKNOWN_MIN = 0;
    public static final long UNKNOWN_MAX = Long.MAX_VALUE;

    private final long[] counts;
    private final long minMillis;
    private final long maxMillis;

    private ResolveTimeSketch(long[] counts, long minMillis, long maxMillis) {
        this.counts = counts;
        boolean empty = Arrays.stream(counts).allMatch(c -> c == 0);
        this.minMillis = empty ? NO_MIN : minMillis;
        this.maxMillis = empty ? NO_MAX : maxMillis;
    }

    public static ResolveTimeSketch empty() {
        return new ResolveTimeSketch(new long[BUCKETS], NO_MIN, NO_MAX);
    }

    /** A sketch holding a copy of {@code counts}, one count per bucket ({@link #BUCKETS} of them), bounds unknown. */
    public static ResolveTimeSketch ofCounts(long[] counts) {
        return ofCounts(counts, UNKNOWN_MIN, UNKNOWN_MAX);
    }

    /** A sketch holding a copy of {@code counts} whose times lie within [{@code minMillis}, {@code maxMillis}]. */
    public static ResolveTimeSketch ofCounts(long[] counts, long minMillis, long maxMillis) {
        if (counts.length != BUCKETS) {
            throw new IllegalArgumentException("a resolve-time sketch has " + BUCKETS + " buckets, got " + counts.length);
        }
        return new ResolveTimeSketch(counts.clone(), minMillis, maxMillis);
    }

    /** The bucket a resolve time of {@code millis} falls in. */
    public static int bucketOf(long millis) {
        if (millis < 1000) {
            return 0;
        }
        int i = 1 + (int) Math.floor(Math.log(millis / 1000.0) / LOG_SQRT2 + 1e-9);
        return Math.min(i, BUCKETS - 1);
    }

    /** Lower bound of bucket {@code i} in milliseconds. */
    public static double lowerBoundMillis(int i) {
        return i == 0 ? 0 : 1000.0 * Math.pow(2, (i - 1) / 2.0);
    }

    /** Upper bound of bucket {@code i} in milliseconds (the last bucket reports its lower bound times sqrt 2). */
    public static double upperBoundMillis(int i) {
        return 1000.0 * Math.pow(2, i / 2.0);
    }

    /** The document field name of bucket {@code i} inside {@code resolve_hist}. */
    public static String fieldName(int i) {
        return "b" + i;
    }

    /** A new sketch with one more resolve time recorded. */
    public ResolveTimeSketch plus(long millis) {
        long time = Math.max(0, millis);
        long[] next = counts.clone();
        next[bucketOf(time)]++;
        return new ResolveTimeSketch(next, Math.min(minMillis, time), Math.max(maxMillis, time));
    }

    /** A new sketch holding both sketches' counts. */
    public ResolveTimeSketch merge(ResolveTimeSketch other) {
        long[] next = counts.clone();
        for (int i = 0; i < BUCKETS; i++) {
            next[i] += other.counts[i];
        }
        return new ResolveTimeSketch(next, Math.min(minMillis, other.minMillis), Math.max(maxMillis, other.maxMillis));
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    public long count(int bucket) {
        return counts[bucket];
    }

    /** The shortest time recorded ({@link #NO_MIN} when empty, {@link #UNKNOWN_MIN} when not known). */
    public long minMillis() {
        return minMillis;
    }

    /** The longest time recorded ({@link #NO_MAX} when empty, {@link #UNKNOWN_MAX} when not known). */
    public long maxMillis() {
        return maxMillis;
    }

    /**
     * The {@code q} quantile (0..1) in milliseconds, interpolated linearly inside its bucket narrowed to the times'
     * minimum and maximum; NaN when empty. Accuracy is within the bucket's width (a factor of sqrt 2), exact when
     * every time is the same.
     */
    public double quantileMillis(double q) {
        return quantileMillis(counts, minMillis, maxMillis, q);
    }

    /** The same for raw bucket counts without bounds. */
    public static double quantileMillis(long[] counts, double q) {
        return quantileMillis(counts, UNKNOWN_MIN, UNKNOWN_MAX, q);
    }

    /**
     * The same for raw bucket counts and their times' bounds, e.g. summed, minimized and maximized by OpenSearch
     * aggregations.
     */
    public static double quantileMillis(long[] counts, long minMillis, long maxMillis, double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("quantile must be within 0..1, got " + q);
        }
        long total = Arrays.stream(counts).sum();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double within = counts[i] == 0 ? 0 : (rank - seen) / counts[i];
                double lo = Math.max(lowerBoundMillis(i), minMillis);
                double hi = Math.min(upperBoundMillis(i), maxMillis);
                if (lo > hi) {
                    // A time on a bucket's edge can land one bucket off its computed bound (floating point): the
                    // bounds miss the bucket by a hair, and they are the better answer.
                    double inBucket = lowerBoundMillis(i) + within * (upperBoundMillis(i) - lowerBoundMillis(i));
                    return Math.min(Math.max(inBucket, minMillis), maxMillis);
                }
                return lo + within * (hi - lo);
            }
            seen += counts[i];
        }
        return upperBoundMillis(counts.length - 1);
    }

    /** Sparse form for the document: only non-zero buckets, in bucket order. */
    public Map<String, Long> toFields() {
        Map<String, Long> fields = new LinkedHashMap<>();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] != 0) {
                fields.put(fieldName(i), counts[i]);
            }
        }
        return fields;
    }

    /** Reads the sparse form; unknown keys are an error naming the key. */
    public static ResolveTimeSketch fromFields(Map<String, ? extends Number> fields) {
        long[] counts = new long[BUCKETS];
        if (fields != null) {
            fields.forEach((key, value) -> {
                int i;
                try {
                    i = Integer.parseInt(key.substring(1));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("resolve_hist key '" + key + "' is not b0..b" + (BUCKETS - 1), e);
                }
                if (!key.startsWith("b") || i < 0 || i >= BUCKETS) {
                    throw new IllegalArgumentException("resolve_hist key '" + key + "' is not b0..b" + (BUCKETS - 1));
                }
                counts[i] += value.longValue();
            });
        }
        return new ResolveTimeSketch(counts, UNKNOWN_MIN, UNKNOWN_MAX);
    }

    /** {@link #fromFields(Map)} with the times' bounds as stored next to them. */
    public static ResolveTimeSketch fromFields(Map<String, ? extends Number> fields, long minMillis, long maxMillis) {
        return ofCounts(fromFields(fields).counts, minMillis, maxMillis);
    }

    public long[] counts() {
        return counts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResolveTimeSketch other && Arrays.equals(counts, other.counts) && minMillis == other.minMillis
                && maxMillis == other.maxMillis;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(counts) + Long.hashCode(minMillis)) + Long.hashCode(maxMillis);
    }

    @Override
    public String toString() {
        return "ResolveTimeSketch" + toFields() + "[" + minMillis + ".." + maxMillis + "]";
    }
}
