package dev.rollcall.query.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.QueryString;

/**
 * The length limit of filter values: characters are code points, counted on the value as the client sent it, which is
 * sent to OpenSearch as it is (next to its stripped form), so that no longer value reaches a query.
 */
class DimensionsTest {

    private static final String EMOJI = "\uD83D\uDE80";
    private static final String EMOJI_ESCAPED = "%F0%9F%9A%80";

    static Stream<Arguments> valuesWithinTheLimit() {
        return Stream.of(
                // 8191 emoji are 16,382 UTF-16 units: once refused as "longer than 8191 characters"
                Arguments.of("service", EMOJI_ESCAPED.repeat(8_191), EMOJI.repeat(8_191)),
                Arguments.of("service", "s".repeat(8_191), "s".repeat(8_191)),
                Arguments.of("name", EMOJI_ESCAPED.repeat(1_024), EMOJI.repeat(1_024)),
                Arguments.of("fingerprint", "%20".repeat(8_190) + "f", " ".repeat(8_190) + "f"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("valuesWithinTheLimit")
    void aValueOfAtMostTheLimitInCodePointsIsTaken(String field, String sent, String value) {
        assertThat(filters(field + "=" + sent).get(field)).contains(value).allSatisfy(v -> assertThat(v.codePointCount(0, v.length()))
                .isLessThanOrEqualTo(Dimensions.maxValueLength(field)));
    }

    static Stream<Arguments> valuesPastTheLimit() {
        return Stream.of(
                Arguments.of("service", EMOJI_ESCAPED.repeat(8_192), 8_192, 8_191),
                // the spaces are sent too: once accepted because only "a" was counted
                Arguments.of("service", "%20".repeat(9_000) + "a", 9_001, 8_191),
                Arguments.of("account", "a" + "+".repeat(8_191), 8_192, 8_191),
                Arguments.of("name", "n".repeat(1_025), 1_025, 1_024),
                Arguments.of("name", EMOJI_ESCAPED.repeat(1_025), 1_025, 1_024));
    }

    @ParameterizedTest(name = "{0} of {2} characters")
    @MethodSource("valuesPastTheLimit")
    void aLongerValueAsSentIsA400StatingTheLimit(String field, String sent, int length, int limit) {
        assertThatThrownBy(() -> filters(field + "=" + sent)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.parameter()).isEqualTo(field);
            assertThat(e.getMessage()).isEqualTo(field + " has a value of " + length + " characters, more than the " + limit
                    + " allowed (counted as sent, outer spaces included)");
        });
    }

    private static java.util.Map<String, List<String>> filters(String query) {
        return Dimensions.filters(QueryParameters.of(QueryString.parse(query), Dimensions.FILTERS));
    }
}
