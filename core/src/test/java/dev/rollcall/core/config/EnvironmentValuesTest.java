package dev.rollcall.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvironmentValuesTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(nullValues = "none", value = {"none, 7", "'', 7", "'  ', 7", "' 12 ', 12", "-3, -3"})
    void wholeNumbersDefaultWhenBlank(String value, int expected) {
        assertThat(EnvironmentValues.integer(env(value), "N", 7)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"'', 5", "0, 0", "' 4096 ', 4096"})
    void nonNegativeLongsDefaultWhenBlank(String value, long expected) {
        assertThat(EnvironmentValues.nonNegativeLong(env(value), "N", 5)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"'', PT3H", "PT90M, PT1H30M", "' P1D ', PT24H"})
    void positiveDurationsDefaultWhenBlank(String value, String expected) {
        assertThat(EnvironmentValues.positiveDuration(env(value), "N", Duration.ofHours(3))).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"'', PT1M", "PT0S, PT0S", "' PT90S ', PT1M30S"})
    void nonNegativeDurationsAllowZero(String value, String expected) {
        assertThat(EnvironmentValues.nonNegativeDuration(env(value), "N", Duration.ofMinutes(1))).isEqualTo(Duration.parse(expected));
    }

    /** One spelling for every variable: the job's short forms were refused by the query API and local mode. */
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({"PT15M, PT15M", "p7d, PT168H", "' 90s ', PT1M30S", "15m, PT15M", "3H, PT3H", "31d, PT744H", "500ms, PT0.5S",
            "'15 m', PT15M", "0s, PT0S"})
    void durationsAreIsoOrANumberWithAUnit(String text, String expected) {
        assertThat(EnvironmentValues.parseDuration(text)).isEqualTo(Duration.parse(expected));
        assertThat(EnvironmentValues.nonNegativeDuration(env(text), "N", Duration.ofDays(1))).isEqualTo(Duration.parse(expected));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> EnvironmentValues.integer(env("many"), "N", 1)).hasMessage("N must be a whole number, got 'many'");
        assertThatThrownBy(() -> EnvironmentValues.nonNegativeLong(env("1.5"), "N", 1)).hasMessage("N must be a whole number, got '1.5'");
        assertThatThrownBy(() -> EnvironmentValues.nonNegativeLong(env("-1"), "N", 1)).hasMessage("N must be 0 or more, got -1");
        assertThatThrownBy(() -> EnvironmentValues.required(env(" "), "N", "x")).hasMessage("N is not set (e.g. x)");
        assertThatThrownBy(() -> EnvironmentValues.positiveDuration(env("3 hours"), "N", Duration.ZERO))
                .hasMessage("N must be a duration such as PT3H or 3h, got '3 hours'");
        assertThatThrownBy(() -> EnvironmentValues.positiveDuration(env("99999999999999999999d"), "N", Duration.ZERO))
                .hasMessage("N must be a duration such as PT3H or 3h, got '99999999999999999999d'");
        assertThatThrownBy(() -> EnvironmentValues.positiveDuration(env("PT0S"), "N", Duration.ZERO)).hasMessage("N must be longer than zero, got PT0S");
        assertThatThrownBy(() -> EnvironmentValues.nonNegativeDuration(env("-PT1S"), "N", Duration.ZERO)).hasMessage("N must be zero or longer, got -PT1S");
        assertThatThrownBy(() -> EnvironmentValues.nonNegativeDuration(env("1 m s"), "N", Duration.ZERO))
                .hasMessage("N must be a duration such as PT1M or 1m, got '1 m s'");
    }

    @Test
    void textIsTrimmed() {
        assertThat(EnvironmentValues.required(env(" q "), "N", "x")).isEqualTo("q");
        assertThat(EnvironmentValues.text(env(""), "N", "d")).isEqualTo("d");
    }

    private static Map<String, String> env(String value) {
        return value == null ? Map.of() : Map.of("N", value);
    }
}
