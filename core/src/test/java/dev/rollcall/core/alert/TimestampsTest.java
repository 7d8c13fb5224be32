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
                Arguments.of("  2026-11-22T10:15:30Z  ", "2026-11-22T10:15:30Z"));
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
                Arguments.of("\"1795342530123\"", "2026-11-22T10:15:30.123Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonValues")
    void parsesJsonNumbersAndStringsWithoutLosingDigits(String json, String expected) {
        JsonNode node = AlertJson.readTree(json);
        assertThat(Timestamps.parse(node)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "yesterday", "2026-13-40T99:00:00Z", "12:00", "NaN", "1e400000"})
    void rejectsWhatIsNotATime(String text) {
        assertThat(Timestamps.parse(text)).isEmpty();
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
