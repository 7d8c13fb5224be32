package dev.rollcall.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

class TimestampsTest {

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("2026-11-22T10:15:30Z", "2026-11-22T10:15:30Z"),
                Arguments.of("2026-11-22T10:15:30.1Z", "2026-11-22T10:15:30.100Z"),
                Arguments.of("2026-11-22T10:15:30.123456789Z", "2026-11-22T10:15:30.123456789Z"),
                Arguments.of("2026-11-22T10:15:30.985+0000", "2026-11-22T10:15:30.985Z"),          // CloudWatch SNS StateChangeTime
                Arguments.of("2026-11-22T11:15:30+01:00", "2026-11-22T10:15:30Z"),
                Arguments.of("2026-11-22T05:15:30-0500", "2026-11-22T10:15:30Z"),
                Arguments.of("2026-11-22T10:15:30.123+00", "2026-11-22T10:15:30.123Z"),
                // Offsets with minutes (India, Newfoundland, Nepal), seconds unlike the minutes so a misread minute shows.
                Arguments.of("2026-11-22T15:45:10+05:30", "2026-11-22T10:15:10Z"),
                Arguments.of("2026-11-22T15:45:10.250+0530", "2026-11-22T10:15:10.250Z"),
                Arguments.of("2026-11-22T06:45:10-03:30", "2026-11-22T10:15:10Z"),
                Arguments.of("2026-11-22T16:00:10+05:45", "2026-11-22T10:15:10Z"),
                Arguments.of("2026-11-22T10:15:30", "2026-11-22T10:15:30Z"),                       // no offset: UTC
                Arguments.of("2026-11-22 10:15:30.5", "2026-11-22T10:15:30.500Z"),
                Arguments.of("2026-11-22t10:15:30z", "2026-11-22T10:15:30Z"),
                Arguments.of("Sun, 22 Nov 2026 10:15:30 GMT", "2026-11-22T10:15:30Z"),             // RFC 1123
                Arguments.of("Sun, 22 Nov 2026 11:15:30 +0100", "2026-11-22T10:15:30Z"),
                Arguments.of("1795342530", "2026-11-22T10:15:30Z"),                               // epoch seconds
                Arguments.of("1795342530.25", "2026-11-22T10:15:30.250Z"),
                Arguments.of("1795342530123", "2026-11-22T10:15:30.123Z"),                        // epoch millis
                Arguments.of("1795342530123456", "2026-11-22T10:15:30.123456Z"),                  // epoch micros
                Arguments.of("1795342530123456789", "2026-11-22T10:15:30.123456789Z"),            // epoch nanos, > 2^53
                Arguments.of("  2026-11-22T10:15:30Z  ", "2026-11-22T10:15:30Z"),
                Arguments.of("2019-08-19T21:06:17.677000Z", "2019-08-19T21:06:17.677Z"),                // Sentry
                Arguments.of("2021-10-12T09:51:03.157076+02:00", "2021-10-12T07:51:03.157076Z"),         // Grafana
                Arguments.of("2026-03-14T09:58:47.123456789Z", "2026-03-14T09:58:47.123456789Z"),        // Alertmanager
                Arguments.of("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),                            // "no end yet"
                Arguments.of("2026-11-22T10:15:30.1234567891Z", "2026-11-22T10:15:30.123456789Z"),       // digits past ns dropped
                Arguments.of("2023-08-04T12: 36: 15.490+0000", "2023-08-04T12:36:15.490Z"),             // AWS's Lambda-action sample
                Arguments.of("Fri, 27 Jan 2023 01:43:21 GMT", "2023-01-27T01:43:21Z"),                  // AWS Health
                Arguments.of("Sat, 05 Jun 2016 15:10:09 GMT", "2016-06-05T15:10:09Z"),                  // wrong weekday, as published
                Arguments.of("5 Jun 2016 15:10 GMT", "2016-06-05T15:10:00Z"),
                Arguments.of("Jan 19, 2023, 10:46:15 PM", "2023-01-19T22:46:15Z"),                      // Inspector2
                Arguments.of("Oct 24, 2022, 11:08:59 AM", "2022-10-24T11:08:59Z"),
                Arguments.of("Nov 29, 2024 7:43:25 PM", "2024-11-29T19:43:25Z"),                        // Systems Manager
                Arguments.of("1566248777.677", "2019-08-19T21:06:17.677Z"),                             // Sentry epoch float
                Arguments.of("-1", "1969-12-31T23:59:59Z"),
                Arguments.of("+1795342530", "2026-11-22T10:15:30Z"),
                Arguments.of("1.79534253e9", "2026-11-22T10:15:30Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void parsesText(String text, String expected) {
        assertThat(Timestamps.parse(text)).contains(Instant.parse(expected));
    }

    static Stream<Arguments> jsonValues() {
        return Stream.of(
                Arguments.of("1795342530", "2026-11-22T10:15:30Z"),
                Arguments.of("1795342530123", "2026-11-22T10:15:30.123Z"),
                Arguments.of("1795342530123456789", "2026-11-22T10:15:30.123456789Z"),
                Arguments.of("1795342530.123", "2026-11-22T10:15:30.123Z"),
                Arguments.of("\"2026-11-22T10:15:30.985+0000\"", "2026-11-22T10:15:30.985Z"),
                Arguments.of("\"1795342530123\"", "2026-11-22T10:15:30.123Z"),
                Arguments.of("1641944835124", "2022-01-11T23:47:15.124Z"),                              // Batch stoppedAt
                Arguments.of("18446744073709551616", "2554-07-21T23:34:33.709551616Z"),                  // 2^64 nanoseconds
                Arguments.of("1566248777.677", "2019-08-19T21:06:17.677Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonValues")
    void parsesJsonNumbersAndStringsWithoutLosingDigits(String json, String expected) {
        JsonNode node = AlertJson.readTree(json);
        assertThat(Timestamps.parse(node)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "yesterday", "2026-13-40T99:00:00Z", "12:00", "NaN", "1e400000",
            "2026-11-22T10:15:30+25:00", "2026-11-22T10:15:30+0", "2026-11-22X10:15:30Z",
            "2026-02-30T10:15:30Z", "Sun, 22 Nov 2026 10:15:30 XYZ", "Jan 19, 2023", "1.", "--1", "1e", "+",
            // Exponents past what BigDecimal holds.
            "1e9999999999", "9e9999999999", "-1e9999999999", "1e-9999999999"})
    void rejectsWhatIsNotATime(String text) {
        assertThat(Timestamps.parse(text)).isEmpty();
    }

    /** A few bytes of JSON that would take minutes of arithmetic or gigabytes of digits if scaled as an epoch. */
    @ParameterizedTest
    @ValueSource(strings = {"1e600000000", "-1e600000000", "1e999999999", "\"1e600000000\"", "\"1234567890123456789012345678901234567890123\"",
            "1e-600000000", "-1e-600000000", "\"1e-600000000\"", "1.5e-100000000", "\"9e9999999999\""})
    @org.junit.jupiter.api.Timeout(5)
    void hugeNumbersAreNoTimeAndCostNothing(String json) {
        assertThat(Timestamps.parse(AlertJson.readTree(json))).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void requireNamesTheField() {
        assertThatThrownBy(() -> Timestamps.require("soon", "occurred_at"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("occurred_at")
                .hasMessageContaining("soon");
    }

    @org.junit.jupiter.api.Test
    void missingAndNullJsonAreEmpty() {
        assertThat(Timestamps.parse((JsonNode) null)).isEmpty();
        assertThat(Timestamps.parse(AlertJson.readTree("{}").path("time"))).isEmpty();
        assertThat(Timestamps.parse(AlertJson.readTree("{\"time\":null}").get("time"))).isEmpty();
        assertThat(Timestamps.parse(AlertJson.readTree("{\"time\":true}").get("time"))).isEmpty();
    }
}
