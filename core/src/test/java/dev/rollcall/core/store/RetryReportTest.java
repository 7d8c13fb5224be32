package dev.rollcall.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.rollcall.servers.MovingClock;

class RetryReportTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant GIVES_UP = START.plusSeconds(300);

    /**
     * Each step is "fail@S" or "ok@S" (S seconds after the start); the reports are what the sink heard, as
     * "retrying failures/waited-seconds" or "recovered failures/waited-seconds".
     */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a first attempt that gets through says nothing", List.of("ok@0"), List.of()),
                Arguments.of("the first failure is said at once", List.of("fail@0"), List.of("retrying 1/0")),
                Arguments.of("failures within the interval are counted, not said", List.of("fail@0", "fail@1", "fail@29"),
                        List.of("retrying 1/0")),
                Arguments.of("a failure a whole interval after the last report is said", List.of("fail@0", "fail@10", "fail@30", "fail@45", "fail@61"),
                        List.of("retrying 1/0", "retrying 3/30", "retrying 5/61")),
                Arguments.of("success after failures says how many and how long", List.of("fail@0", "fail@2", "fail@5", "ok@7"),
                        List.of("retrying 1/0", "recovered 3/7")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheFirstRetryThenOncePerIntervalAndTheRecovery(String name, List<String> steps, List<String> expected) {
        MovingClock clock = new MovingClock(START);
        List<String> heard = new ArrayList<>();
        RetryReport report = new RetryReport(new RetryReport.Sink() {
            @Override
            public void retrying(RetryReport.Retrying retrying) {
                assertThat(retrying.request()).isEqualTo("POST /_bulk");
                assertThat(retrying.givesUpAt()).isEqualTo(GIVES_UP);
                assertThat(retrying.reason()).isEqualTo("answered 429 at " + clock.instant().getEpochSecond());
                heard.add("retrying " + retrying.failures() + "/" + retrying.waited().toSeconds());
            }

            @Override
            public void recovered(String request, int failures, Duration waited) {
                assertThat(request).isEqualTo("POST /_bulk");
                heard.add("recovered " + failures + "/" + waited.toSeconds());
            }
        }, clock, Duration.ofSeconds(30), "POST /_bulk");

        for (String step : steps) {
            String[] parts = step.split("@");
            clock.set(START.plusSeconds(Long.parseLong(parts[1])));
            if (parts[0].equals("fail")) {
                report.failed("answered 429 at " + clock.instant().getEpochSecond(), GIVES_UP);
            } else {
                report.succeeded();
            }
        }
        assertThat(heard).isEqualTo(expected);
    }
}
