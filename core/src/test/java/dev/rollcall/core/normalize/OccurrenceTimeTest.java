package dev.rollcall.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OccurrenceTimeTest {

    private static final Instant SENT = Instant.parse("2026-12-05T12:00:00Z");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "2026-12-05T11:59:00Z, 2026-12-05T11:59:00Z",  // the usual case
            "2026-12-06T12:00:00Z, 2026-12-06T12:00:00Z",  // a day of clock skew ahead is still believed
            "2026-12-06T12:00:01Z, 2026-12-05T12:00:00Z",  // beyond it: arrival
            "2000-01-01T00:00:00Z, 2000-01-01T00:00:00Z",  // old events (a backfill) are believed back to 2000
            "1999-12-31T23:59:59Z, 2026-12-05T12:00:00Z",  // older: arrival
            "1970-01-01T00:00:00Z, 2026-12-05T12:00:00Z",  // epoch 0, a producer without a clock
            "+999999999-12-31T23:00:00Z, 2026-12-05T12:00:00Z",
            "none, 2026-12-05T12:00:00Z"})                 // no time at all
    void theSourceTimeWhenBelievableElseTheArrival(String source, String expected) {
        Instant sourceTime = source == null ? null : Instant.parse(source);
        assertThat(OccurrenceTime.of(sourceTime, SENT)).isEqualTo(Instant.parse(expected));
    }
}
