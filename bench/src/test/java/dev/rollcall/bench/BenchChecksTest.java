package dev.rollcall.bench;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.rollcall.core.alert.AlertJson;

/** The checks that keep a figure from timing a different answer, or less work, than the one it names. */
class BenchChecksTest {

    private static final String API = """
            {"columns":["bucket_start","service","events","pages"],"rows":[
              {"bucket_start":"2026-01-01T00:00:00Z","service":"checkout","events":7,"pages":2},
              {"bucket_start":"2026-01-02T00:00:00Z","service":"unknown","events":1,"pages":0},
              {"bucket_start":"2026-01-03T00:00:00Z","service":"checkout","events":0,"pages":0}],"next_cursor":null}
            """;

    private static String raw(long checkoutEvents, String missingKey) {
        return """
                {"aggregations":{"g":{"buckets":[
                  {"key":"checkout","t":{"buckets":[{"key":1767225600000,"doc_count":%d,"pages":{"doc_count":2}},
                    {"key":1767312000000,"doc_count":0,"pages":{"doc_count":0}}]}},
                  {"key":"%s","t":{"buckets":[{"key":1767312000000,"doc_count":1,"pages":{"doc_count":0}}]}}]}}}
                """.formatted(checkoutEvents, missingKey);
    }

    @Test
    void theSameTableFromBothSidesPasses() {
        assertThatCode(() -> QueryScenario.requireSameTable("daily", API, raw(7, "unknown"))).doesNotThrowAnyException();
    }

    @Test
    void aTableThatDiffersFails() {
        assertThatThrownBy(() -> QueryScenario.requireSameTable("daily", API, raw(8, "unknown")))
                .hasMessageContaining("daily: the API's answer (2 rows) differs from the raw aggregation's (2 rows)");
        // Events without a service: the raw side must count them under the name the rollups keep them under.
        assertThatThrownBy(() -> QueryScenario.requireSameTable("daily", API, raw(7, "")))
                .hasMessageContaining("differs");
        assertThatThrownBy(() -> QueryScenario.requireSameTable("daily", API.replace("\"next_cursor\":null", "\"next_cursor\":\"c\""), raw(7, "unknown")))
                .hasMessageContaining("more than one page");
        assertThatThrownBy(() -> QueryScenario.requireSameTable("daily", "{\"rows\":[],\"next_cursor\":null}", "{}"))
                .hasMessageContaining("(0 rows)");
    }

    @Test
    void aRunThatReadLessOrWroteNothingIsNoFigure() {
        String whole = "{\"events_read\":600,\"rollups_hour\":10,\"rollups_day\":3,\"rollups_month\":1,\"peak_heap_mb\":80}";
        assertThatCode(() -> AggregateScenario.requireWholeRun(AlertJson.readTree(whole), 600)).doesNotThrowAnyException();
        assertThatThrownBy(() -> AggregateScenario.requireWholeRun(AlertJson.readTree(whole), 601))
                .hasMessageContaining("read 600 events of the 601 stored");
        assertThatThrownBy(() -> AggregateScenario.requireWholeRun(AlertJson.readTree(whole.replace("\"rollups_day\":3", "\"rollups_day\":0")), 600))
                .hasMessageContaining("no day rollups");
        assertThatThrownBy(() -> AggregateScenario.requireWholeRun(AlertJson.readTree(whole.replace(",\"peak_heap_mb\":80", "")), 600))
                .hasMessageContaining("no peak heap");
    }
}
