package dev.rollcall.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SupervisedOpenSearchTest {

    static Stream<Arguments> exits() {
        return Stream.of(
                Arguments.of("the first exit", List.of(), "00:00:00", true),
                Arguments.of("a third within ten minutes", List.of("00:00:00", "00:05:00"), "00:09:00", true),
                Arguments.of("a fourth within ten minutes is left down", List.of("00:00:00", "00:05:00", "00:09:00"), "00:09:30", false),
                Arguments.of("exactly ten minutes after the first still counts it", List.of("00:00:00", "00:05:00", "00:09:00"), "00:10:00", false),
                Arguments.of("once the first is older than ten minutes", List.of("00:00:00", "00:05:00", "00:09:00"), "00:10:01", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exits")
    void restartsAtMostThreeTimesInTenMinutes(String name, List<String> earlier, String now, boolean restarts) {
        Deque<Instant> recorded = new ArrayDeque<>(earlier.stream().map(SupervisedOpenSearchTest::at).toList());
        int before = recorded.size();

        assertThat(SupervisedOpenSearch.mayRestart(recorded, at(now))).isEqualTo(restarts);

        assertThat(recorded.contains(at(now))).as("recorded when it restarts").isEqualTo(restarts);
        assertThat(recorded).hasSizeLessThanOrEqualTo(Math.max(before, SupervisedOpenSearch.MAX_RESTARTS));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-12-07T" + time + "Z");
    }
}
