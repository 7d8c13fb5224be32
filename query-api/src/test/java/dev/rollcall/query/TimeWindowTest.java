package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.TimeWindow;

class TimeWindowTest {

    @ParameterizedTest(name = "{0} .. {1} by {2}")
    @CsvSource({
            "2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z, day,   2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z, 31",
            "2026-01-01T10:30:00Z, 2026-01-03T00:00:01Z, day,   2026-01-01T00:00:00Z, 2026-01-04T00:00:00Z, 3",
            "2026-01-01T10:30:00Z, 2026-01-01T11:00:00Z, hour,  2026-01-01T10:00:00Z, 2026-01-01T11:00:00Z, 1",
            "2026-01-15T00:00:00Z, 2026-03-02T00:00:00Z, month, 2026-01-01T00:00:00Z, 2026-04-01T00:00:00Z, 3",
            "2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z, day,   2024-02-01T00:00:00Z, 2024-03-01T00:00:00Z, 29"})
    void rangesWidenToWholeBuckets(String from, String to, String interval, String start, String end, long buckets) {
        TimeWindow window = TimeWindow.of(Instant.parse(from), Instant.parse(to), Interval.fromWire(interval), QueryLimits.defaults());
        assertThat(window.from()).isEqualTo(Instant.parse(start));
        assertThat(window.to()).isEqualTo(Instant.parse(end));
        assertThat(window.buckets()).isEqualTo(buckets);
        assertThat(window.bucketStarts()).hasSize((int) buckets).startsWith(Instant.parse(start));
    }

    @ParameterizedTest(name = "{0} .. {1} -> {2}")
    @CsvSource({
            "2026-01-01T00:00:00Z, 2026-02-01T00:00:00Z, month",
            "2026-01-01T00:00:00Z, 2026-01-15T00:00:00Z, day",
            "2026-01-15T00:00:00Z, 2026-02-01T00:00:00Z, day",
            "2026-01-01T00:00:00Z, 2026-01-01T06:00:00Z, hour",
            "2026-01-01T00:10:00Z, 2026-02-01T00:00:00Z, hour"})
    void withoutAnIntervalTheCoarsestAlignedOneIsRead(String from, String to, String interval) {
        assertThat(TimeWindow.coarsestAligned(Instant.parse(from), Instant.parse(to))).isEqualTo(Interval.fromWire(interval));
    }
}
