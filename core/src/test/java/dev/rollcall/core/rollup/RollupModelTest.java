package dev.rollcall.core.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.rollcall.core.alert.AlertJson;

class RollupModelTest {

    @ParameterizedTest(name = "{0} of {1}")
    @CsvSource({
            "hour,  2026-11-22T10:15:30Z, 2026-11-22T10:00:00Z, 2026-11-22T11:00:00Z",
            "day,   2026-11-22T10:15:30Z, 2026-11-22T00:00:00Z, 2026-11-23T00:00:00Z",
            "month, 2026-11-22T10:15:30Z, 2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z",
            "month, 2026-12-31T23:59:59Z, 2026-12-01T00:00:00Z, 2027-01-01T00:00:00Z",
            "day,   2028-02-29T12:00:00Z, 2028-02-29T00:00:00Z, 2028-03-01T00:00:00Z"})
    void bucketsAlignInUtc(String interval, String t, String start, String next) {
        Interval i = Interval.fromWire(interval);
        assertThat(i.bucketStart(Instant.parse(t))).isEqualTo(Instant.parse(start));
        assertThat(i.next(Instant.parse(start))).isEqualTo(Instant.parse(next));
    }

    @Test
    void unknownIntervalListsTheAllowedOnes() {
        assertThatThrownBy(() -> Interval.fromWire("week")).hasMessage("interval 'week' is not one of: hour, day, month");
    }

    static Stream<Arguments> bucketCases() {
        return Stream.of(Arguments.of(0L, 0), Arguments.of(999L, 0), Arguments.of(1_000L, 1), Arguments.of(1_413L, 1),
                Arguments.of(1_415L, 2), Arguments.of(2_000L, 3), Arguments.of(60_000L, 12), Arguments.of(3_600_000L, 24),
                Arguments.of(Long.MAX_VALUE, ResolveTimeSketch.BUCKETS - 1));
    }

    @ParameterizedTest(name = "{0} ms -> b{1}")
    @MethodSource("bucketCases")
    void resolveTimesFallInLogBuckets(long millis, int bucket) {
        assertThat(ResolveTimeSketch.bucketOf(millis)).isEqualTo(bucket);
        if (bucket < ResolveTimeSketch.BUCKETS - 1) {
            assertThat((double) millis).isBetween(ResolveTimeSketch.lowerBoundMillis(bucket), ResolveTimeSketch.upperBoundMillis(bucket));
        }
    }

    @Test
    void quantilesAreWithinABucketWidthAndMergingEqualsRecordingTogether() {
        ResolveTimeSketch a = ResolveTimeSketch.empty();
        ResolveTimeSketch b = ResolveTimeSketch.empty();
        ResolveTimeSketch all = ResolveTimeSketch.empty();
        for (int i = 1; i <= 100; i++) {
            long ms = i * 60_000L; // 1..100 minutes
            all = all.plus(ms);
            a = i % 2 == 0 ? a.plus(ms) : a;
            b = i % 2 == 1 ? b.plus(ms) : b;
        }
        assertThat(a.merge(b)).isEqualTo(all);
        assertThat(all.count()).isEqualTo(100);
        // true p50 is 50 min, p90 90 min; a bucket spans a factor of sqrt 2
        assertThat(all.quantileMillis(0.5)).isBetween(50 * 60_000 / Math.sqrt(2), 50 * 60_000 * Math.sqrt(2));
        assertThat(all.quantileMillis(0.9)).isBetween(90 * 60_000 / Math.sqrt(2), 90 * 60_000 * Math.sqrt(2));
        assertThat(ResolveTimeSketch.empty().quantileMillis(0.5)).isNaN();
        assertThat(ResolveTimeSketch.fromFields(all.toFields(), all.minMillis(), all.maxMillis())).isEqualTo(all);
        assertThat(all.minMillis()).isEqualTo(60_000);
        assertThat(all.maxMillis()).isEqualTo(100 * 60_000);
        assertThatThrownBy(() -> ResolveTimeSketch.fromFields(Map.of("x1", 1))).hasMessageContaining("resolve_hist key 'x1'");
    }

    @Test
    void withoutItsBoundsASingleValueReadsAsTheMiddleOfItsBucket() {
        ResolveTimeSketch one = ResolveTimeSketch.ofCounts(ResolveTimeSketch.empty().plus(300_000).counts());
        int b = ResolveTimeSketch.bucketOf(300_000);
        assertThat(one.minMillis()).isEqualTo(ResolveTimeSketch.UNKNOWN_MIN);
        assertThat(one.quantileMillis(0.5)).isCloseTo((ResolveTimeSketch.lowerBoundMillis(b) + ResolveTimeSketch.upperBoundMillis(b)) / 2, within(1.0));
    }

    /**
     * The shortest and longest time narrow the bucket a quantile falls in: few episodes, or episodes of one length,
     * read exactly instead of anywhere in a bucket sqrt 2 wide (one 10-minute episode read p90 702 s).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("boundedQuantiles")
    void theTimesBoundsNarrowTheQuantiles(String name, long[] times, double q, double expected) {
        ResolveTimeSketch sketch = ResolveTimeSketch.empty();
        for (long t : times) {
            sketch = sketch.plus(t);
        }
        assertThat(sketch.quantileMillis(q)).isCloseTo(expected, within(1.0));
        // The same from the stored form and from counts summed elsewhere with their bounds.
        assertThat(ResolveTimeSketch.fromFields(sketch.toFields(), sketch.minMillis(), sketch.maxMillis()).quantileMillis(q)).isCloseTo(expected, within(1.0));
        assertThat(ResolveTimeSketch.quantileMillis(sketch.counts(), sketch.minMillis(), sketch.maxMillis(), q)).isCloseTo(expected, within(1.0));
    }

    static Stream<Arguments> boundedQuantiles() {
        return Stream.of(
                Arguments.of("one 10-minute episode, p50", new long[] {600_000}, 0.5, 600_000),
                Arguments.of("one 10-minute episode, p90", new long[] {600_000}, 0.9, 600_000),
                // On a bucket's edge: 23,170,475 ms is bucket 30 by bucketOf, whose lower bound computes to 23,170,475.006.
                Arguments.of("one episode on a bucket's edge", new long[] {23_170_475}, 0.5, 23_170_475),
                Arguments.of("ten 46 s episodes, p90", new long[] {46_000, 46_000, 46_000, 46_000, 46_000, 46_000, 46_000, 46_000, 46_000, 46_000}, 0.9, 46_000),
                // 600 s and 650 s share the bucket [512 s, 724 s): interpolated between the two, not across the bucket.
                Arguments.of("two in one bucket, p50", new long[] {600_000, 650_000}, 0.5, 625_000),
                Arguments.of("two in one bucket, p90", new long[] {600_000, 650_000}, 0.9, 645_000),
                // 1 s and 10 min: p90 lies in the 10-minute bucket, bounded above by the longest.
                Arguments.of("far apart, p90", new long[] {1_000, 600_000}, 0.9, 512_000 + 0.8 * (600_000 - 512_000)),
                // Q = 0 and 1 are valid and read the bounds; a rank exactly at a bucket's end stays in that bucket.
                Arguments.of("far apart, p0 is the shortest", new long[] {1_000, 600_000}, 0.0, 1_000),
                Arguments.of("far apart, p100 is the longest", new long[] {1_000, 600_000}, 1.0, 600_000),
                Arguments.of("far apart, p50 ends the first bucket", new long[] {1_000, 600_000}, 0.5, 1_000 * Math.sqrt(2)),
                // The longest on a bucket's edge (see above) with a shorter one before it: the edge case with 0 < within < 1.
                Arguments.of("on a bucket's edge after a shorter one, p90", new long[] {1_000, 23_170_475}, 0.9, 23_170_475));
    }

    static Stream<Arguments> outOfRangeQuantiles() {
        return Stream.of(Arguments.of(-0.01), Arguments.of(1.01));
    }

    @ParameterizedTest(name = "q = {0}")
    @MethodSource("outOfRangeQuantiles")
    void quantilesOutside0To1AreRefused(double q) {
        assertThatThrownBy(() -> ResolveTimeSketch.empty().plus(1_000).quantileMillis(q)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("within 0..1");
    }

    static Stream<Arguments> differentSketches() {
        long[] one = ResolveTimeSketch.empty().plus(1_100).counts();
        return Stream.of(
                Arguments.of("empty and one time", ResolveTimeSketch.empty(), ResolveTimeSketch.empty().plus(1_000)),
                Arguments.of("times in different buckets", ResolveTimeSketch.empty().plus(1_000), ResolveTimeSketch.empty().plus(60_000)),
                Arguments.of("same counts, other minimum", ResolveTimeSketch.ofCounts(one, 1_000, 1_200), ResolveTimeSketch.ofCounts(one, 1_100, 1_200)),
                Arguments.of("same counts, other maximum", ResolveTimeSketch.ofCounts(one, 1_000, 1_200), ResolveTimeSketch.ofCounts(one, 1_000, 1_300)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("differentSketches")
    void sketchesDifferingInCountsOrBoundsAreNotEqual(String name, ResolveTimeSketch a, ResolveTimeSketch b) {
        assertThat(a).isNotEqualTo(b);
        assertThat(b).isNotEqualTo(a);
    }

    /**
     * A rollup without episodes stored before bounds were (no resolve_hist, no min/max: unknown bounds) reads as the
     * empty sketch, so merging it into a day keeps the day's bounds instead of making them unknown.
     */
    @Test
    void aStoredSketchWithoutTimesIsEmptyWhateverBoundsItCameWith() {
        assertThat(ResolveTimeSketch.fromFields(Map.of())).isEqualTo(ResolveTimeSketch.empty());
        assertThat(ResolveTimeSketch.fromFields(null, ResolveTimeSketch.UNKNOWN_MIN, ResolveTimeSketch.UNKNOWN_MAX)).isEqualTo(ResolveTimeSketch.empty());
        assertThat(ResolveTimeSketch.ofCounts(new long[ResolveTimeSketch.BUCKETS], 5, 10).minMillis()).isEqualTo(ResolveTimeSketch.NO_MIN);
        ResolveTimeSketch tenMinutes = ResolveTimeSketch.empty().plus(600_000).merge(ResolveTimeSketch.fromFields(Map.of()));
        assertThat(tenMinutes.minMillis()).isEqualTo(600_000);
        assertThat(tenMinutes.maxMillis()).isEqualTo(600_000);
        assertThat(tenMinutes.quantileMillis(0.9)).isCloseTo(600_000, within(1.0));
    }

    static Stream<Arguments> storedBucketKeys() {
        return Stream.of(Arguments.of("b0", 0), Arguments.of("b1", 1), Arguments.of("b49", 49));
    }

    @ParameterizedTest(name = "{0} -> bucket {1}")
    @MethodSource("storedBucketKeys")
    void everyBucketKeyReadsBack(String key, int bucket) {
        assertThat(ResolveTimeSketch.fromFields(Map.of(key, 3)).count(bucket)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"b50", "b-1", "x1", "b"})
    void bucketKeysOutsideB0ToB49AreRefusedByName(String key) {
        assertThatThrownBy(() -> ResolveTimeSketch.fromFields(Map.of(key, 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("resolve_hist key '" + key + "'");
    }

    @Test
    void metricsWithACountAreNotZero() {
        assertThat(RollupMetrics.ZERO.plus(new MetricsAccumulator().add(RollupMetrics.ZERO).toMetrics()).isZero()).isTrue();
        assertThat(new RollupMetrics(1, 0, 0, 0, 0, 0, 0, 0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).isZero()).isFalse();
    }

    /** The rules' limits: two changes can make a run; the standing threshold must stay below the max age. */
    @Test
    void rulesAcceptTheirLimitsAndRefuseOneStepPast() {
        Duration h = Duration.ofHours(1);
        assertThat(new RollupRules(2, h, h, h, h, h.multipliedBy(2)).flapChanges()).isEqualTo(2);
        assertThatThrownBy(() -> new RollupRules(1, h, h, h, h, h.multipliedBy(2))).hasMessageContaining("2 or more");
        assertThatThrownBy(() -> new RollupRules(4, h, h, h, h, h)).hasMessageContaining("shorter than the episode max age");
    }

    @Test
    void anOwnedCarryStateKeepsOnlyItsFingerprintsAndEveryService() {
        CarryState.FingerprintCarry a = new CarryState.FingerprintCarry("a", null, null, 1L, List.of(), false);
        CarryState.FingerprintCarry b = new CarryState.FingerprintCarry("b", null, null, 1L, List.of(), false);
        CarryState.ServiceCarry s = new CarryState.ServiceCarry("checkout", "b", 1L, null, null);
        CarryState owned = new CarryState(Instant.EPOCH, List.of(a, b), List.of(s)).owned("a"::equals);
        assertThat(owned).isEqualTo(new CarryState(Instant.EPOCH, List.of(a), List.of(s)));
    }

    /** Day and month rollups are accumulated field by field: every count adds, the latest firing's time is the later one. */
    @Test
    void anAccumulatorAddsEveryFieldLikePlus() {
        RollupMetrics m = new RollupMetrics(1, 2, 3, 4, 5, 6, 7, 8, ResolveTimeSketch.empty().plus(120_000), 9, 10, 11, 12, 13, 14, 15,
                16, 17, 18);
        RollupMetrics n = new RollupMetrics(101, 102, 103, 104, 105, 106, 107, 108, ResolveTimeSketch.empty().plus(3_600_000), 109, 110,
                111, 112, 113, 114, 115, 116, 117, 118);
        assertThat(new MetricsAccumulator().add(m).add(n).toMetrics()).isEqualTo(m.plus(n))
                .isEqualTo(new RollupMetrics(102, 104, 106, 108, 110, 112, 114, 116,
                        ResolveTimeSketch.empty().plus(120_000).plus(3_600_000), 118, 120, 122, 124, 126, 128, 130, 132, 134, 118));
    }

    @Test
    void boundsMergeAsMinimumAndMaximumAndUnknownBoundsBoundNothing() {
        ResolveTimeSketch shortOne = ResolveTimeSketch.empty().plus(60_000);
        ResolveTimeSketch longOne = ResolveTimeSketch.empty().plus(3_600_000);
        ResolveTimeSketch both = shortOne.merge(longOne);
        assertThat(both.minMillis()).isEqualTo(60_000);
        assertThat(both.maxMillis()).isEqualTo(3_600_000);
        assertThat(both.merge(ResolveTimeSketch.empty())).isEqualTo(both);
        assertThat(ResolveTimeSketch.empty().minMillis()).isEqualTo(ResolveTimeSketch.NO_MIN);
        assertThat(ResolveTimeSketch.empty().maxMillis()).isEqualTo(ResolveTimeSketch.NO_MAX);
        // A rollup written before bounds were stored: merged in, the result is as unbounded as the old one.
        ResolveTimeSketch old = ResolveTimeSketch.ofCounts(ResolveTimeSketch.empty().plus(600_000).counts());
        ResolveTimeSketch mixed = both.merge(old);
        assertThat(mixed.minMillis()).isEqualTo(ResolveTimeSketch.UNKNOWN_MIN);
        assertThat(mixed.maxMillis()).isEqualTo(ResolveTimeSketch.UNKNOWN_MAX);
        // Interpolated within the top bucket as a sketch without bounds is, past the 1 h a bounded one stops at.
        assertThat(mixed.quantileMillis(0.9)).isCloseTo(3_736_092.8, org.assertj.core.data.Offset.offset(0.1))
                .isGreaterThan(3_600_000);
        assertThat(ResolveTimeSketch.ofCounts(mixed.counts(), 60_000, 3_600_000).quantileMillis(0.9)).isLessThan(3_600_000);
    }

    static RollupKey key(Interval interval, String bucket, String fingerprint) {
        return new RollupKey(interval, Instant.parse(bucket), "checkout", "cloudwatch", "high", "critical", "123456789012",
                "prod", "checkout-5xx", fingerprint);
    }

    @Test
    void idsAreDeterministicAndDistinguishEveryField() {
        RollupKey k = key(Interval.HOUR, "2026-11-22T10:00:00Z", "fp1");
        assertThat(k.id()).isEqualTo(key(Interval.HOUR, "2026-11-22T10:00:00Z", "fp1").id()).startsWith("hour-");
        assertThat(k.id()).isNotEqualTo(key(Interval.HOUR, "2026-11-22T11:00:00Z", "fp1").id());
        assertThat(k.id()).isNotEqualTo(key(Interval.HOUR, "2026-11-22T10:00:00Z", "fp2").id());
        // Values that concatenate alike must not collide.
        RollupKey ab = new RollupKey(Interval.DAY, Instant.parse("2026-11-22T00:00:00Z"), "a", "bc", null, null, null, null, null, null);
        RollupKey abc = new RollupKey(Interval.DAY, Instant.parse("2026-11-22T00:00:00Z"), "ab", "c", null, null, null, null, null, null);
        assertThat(ab.id()).isNotEqualTo(abc.id());
        assertThat(ab.urgency()).isEqualTo(RollupKey.UNKNOWN);
        assertThatThrownBy(() -> key(Interval.DAY, "2026-11-22T10:00:00Z", "x")).hasMessageContaining("not aligned");
        assertThat(k.in(Interval.MONTH).bucketStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void documentsRoundTripAndMetricsAddUp() {
        RollupMetrics m = new RollupMetrics(10, 4, 3, 3, 2, 1, 3, 900_000, ResolveTimeSketch.empty().plus(120_000).plus(300_000).plus(480_000),
                1_800_000, 1, 1, 0, 1, 0, 2, 4, 1, Instant.parse("2026-11-22T10:41:00Z").toEpochMilli());
        RollupDocument doc = new RollupDocument(key(Interval.HOUR, "2026-11-22T10:00:00Z", "fp1"), m, Instant.parse("2026-11-22T12:00:00Z"), "job-1");
        String json = AlertJson.toJson(doc.toJson());
        assertThat(json).contains("\"pages\":2", "\"resolve_hist\":{", "\"bucket_end\":\"2026-11-22T11:00:00Z\"");
        assertThat(RollupDocument.fromJson(AlertJson.readTree(json))).isEqualTo(doc);
        assertThat(m.plus(RollupMetrics.ZERO)).isEqualTo(m);
        RollupMetrics twice = m.plus(m);
        assertThat(twice.pages()).isEqualTo(4);
        assertThat(twice.resolveTimes().count()).isEqualTo(6);
        assertThat(twice.classified()).as("a day of two such hours").isEqualTo(8);
        assertThat(twice.actionable()).isEqualTo(2);
        assertThat(RollupMetrics.ZERO.isZero()).isTrue();
        // The latest firing is a maximum, not a sum; a rollup without one stores no field, and reads back as 0.
        assertThat(json).contains("\"last_fired_at\":" + Instant.parse("2026-11-22T10:41:00Z").toEpochMilli());
        assertThat(twice.lastFiredAt()).isEqualTo(m.lastFiredAt());
        assertThat(new MetricsAccumulator().add(m).add(RollupMetrics.ZERO).toMetrics()).isEqualTo(m);
        String none = AlertJson.toJson(new RollupDocument(key(Interval.HOUR, "2026-11-22T10:00:00Z", "fp1"), RollupMetrics.ZERO, null, null).toJson());
        assertThat(none).doesNotContain("last_fired_at");
        assertThat(RollupDocument.fromJson(AlertJson.readTree(none)).metrics().lastFiredAt()).isZero();
    }
}
