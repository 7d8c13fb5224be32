package dev.rollcall.query.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.rollcall.query.QueryApiFixtures;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.params.TimeWindow;

class OnCallReportTest {

    @ParameterizedTest(name = "{0} against {1}: {2}")
    @CsvSource({
            "17, 16, 6.3",
            "15, 16, -6.3",
            "16, 16, 0.0",
            "9999, 10000, 0.0",
            "1, 3, -66.7",
            "5, 3, 66.7",
            "0, 7, -100.0",
            "21, 8, 162.5",
            "3, 0, "})
    void aChangeIsRoundedToOneDecimalAlikeUpAndDown(long now, long before, Double percent) {
        assertThat(OnCallReport.changePercent(now, before)).isEqualTo(percent);
    }

    /**
     * The range a client leaves to the defaults is never too long for the limit: with ROLLCALL_QUERY_MAX_MONTHS
     * under twelve, a request without {@code from} would otherwise be a 400 for a range it never chose.
     */
    @ParameterizedTest(name = "max {0} months, from={1}, to={2}")
    @CsvSource({
            // the fixtures' clock stands at 2026-02-15: without to, the range ends where March begins
            "120, ,        , 2025-03-01T00:00:00Z, 2026-03-01T00:00:00Z",
            "6,   ,        , 2025-09-01T00:00:00Z, 2026-03-01T00:00:00Z",
            "6,   ,        2026-01, 2025-07-01T00:00:00Z, 2026-01-01T00:00:00Z",
            "6,   2025-12, , 2025-12-01T00:00:00Z, 2026-03-01T00:00:00Z",
            "120, 2025-12, , 2025-12-01T00:00:00Z, 2026-03-01T00:00:00Z"})
    void theDefaultRangeIsTwelveMonthsOrTheMostOneRequestMaySpan(int maxMonths, String from, String to, String start, String end) {
        QueryLimits limits = new QueryLimits(2400, 1830, maxMonths, 5000, 10_000);
        Map<String, String> sent = new LinkedHashMap<>();
        if (from != null) {
            sent.put("from", from);
        }
        if (to != null) {
            sent.put("to", to);
        }

        TimeWindow window = new OnCallReport(limits, QueryApiFixtures.CLOCK).parse(QueryParameters.of(sent, OnCallReport.PARAMETERS)).window();

        assertThat(window.from()).isEqualTo(Instant.parse(start));
        assertThat(window.to()).isEqualTo(Instant.parse(end));
    }
}
