package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.CursorCodec;
import dev.rollcall.query.params.PageRequest;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.TimeWindow;
import dev.rollcall.query.reports.MetricSelection;
import dev.rollcall.query.reports.RollupReport;
import dev.rollcall.query.table.Page;

/** A page ends early when its rows would outgrow a Lambda answer, and its cursor continues right after the last row. */
class PageBudgetTest {

    private static final TimeWindow JANUARY = TimeWindow.of(Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"),
            Interval.DAY, QueryLimits.defaults());

    private static ObjectNode answer(int buckets, boolean afterKey) {
        return answer(buckets, afterKey, i -> "service-" + i + "-" + "x".repeat(50));
    }

    private static ObjectNode answer(int buckets, boolean afterKey, java.util.function.IntFunction<String> service) {
        ObjectNode answer = ApiJson.object();
        ObjectNode rows = answer.putObject("aggregations").putObject("rows");
        ArrayNode list = rows.putArray("buckets");
        for (int i = 0; i < buckets; i++) {
            ObjectNode bucket = list.addObject();
            bucket.putObject("key").put("bucket_start", 1767225600000L).put("service", service.apply(i));
            bucket.putObject("events").put("value", 1.0 + i);
        }
        if (afterKey) {
            rows.set("after_key", list.get(buckets - 1).get("key"));
        }
        return answer;
    }

    private static RollupReport.Request request(int limit, long maxBytes) {
        return new RollupReport.Request(JANUARY, List.of("service"), Map.of(), MetricSelection.of("events"), new PageRequest(limit, null, "fp", maxBytes));
    }

    @Test
    void aPageStopsAtItsBudgetAndContinuesAfterTheLastRowTaken() {
        ObjectNode answer = answer(5, true);
        // The query echo takes about 150 bytes of the budget, each row about 135.
        Page page = new RollupReport(QueryLimits.defaults()).read(request(5, 450), answer);
        assertThat(page.table().rows()).hasSize(2);
        ObjectNode after = CursorCodec.decode(page.nextCursor(), "fp", List.of("bucket_start", "service"));
        assertThat(after).isEqualTo(answer.path("aggregations").path("rows").path("buckets").get(1).path("key"));
    }

    @Test
    void aRowLargerThanTheBudgetStillMakesProgress() {
        Page page = new RollupReport(QueryLimits.defaults()).read(request(5, 10), answer(5, true));
        assertThat(page.table().rows()).hasSize(1);
        assertThat(page.nextCursor()).isNotNull();
    }

    @ParameterizedTest(name = "names of {0}")
    @ValueSource(strings = {"\\", "\"", "\u0001", "\n", "\u6a5f", "\ud83d\udd25", "a"})
    void aFullPageAsLambdaReturnsItStaysUnderItsLimitWhateverTheNamesHold(String character) {
        // Names of 2,000 characters: far more rows than fit, so the budget alone ends the page.
        int buckets = (int) (PageRequest.MAX_RESPONSE_BYTES / 1000);
        ObjectNode answer = answer(buckets, true, i -> String.format("%05d", i) + character.repeat(2000 / character.length()));
        Page page = new RollupReport(QueryLimits.defaults()).read(request(10_000, PageRequest.MAX_BYTES), answer);

        long bytes = QueryApiFixtures.asLambdaReturnsIt(page.toResponse(false).toEvent()).length;

        assertThat(page.table().rows().size()).isLessThan(buckets);
        assertThat(bytes).isLessThanOrEqualTo(PageRequest.MAX_RESPONSE_BYTES)
                .isGreaterThan(PageRequest.MAX_BYTES * 9 / 10); // and the budget is not spent on air
        assertThat((long) QueryApiFixtures.asLambdaReturnsIt(page.toResponse(true).toEvent()).length).as("CSV").isLessThanOrEqualTo(bytes);
    }

    @Test
    void withinTheBudgetThePageEndsWhereOpenSearchSays() {
        RollupReport report = new RollupReport(QueryLimits.defaults());
        assertThat(report.read(request(10, PageRequest.MAX_BYTES), answer(5, true)).nextCursor()).isNull(); // fewer than the limit: the last page
        Page full = report.read(request(5, PageRequest.MAX_BYTES), answer(5, true));
        assertThat(full.table().rows()).hasSize(5);
        assertThat(CursorCodec.decode(full.nextCursor(), "fp", List.of("bucket_start", "service")).path("service").asText()).startsWith("service-4-");
    }
}
