package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

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
        ObjectNode answer = ApiJson.object();
        ObjectNode rows = answer.putObject("aggregations").putObject("rows");
        ArrayNode list = rows.putArray("buckets");
        for (int i = 0; i < buckets; i++) {
            ObjectNode bucket = list.addObject();
            bucket.putObject("key").put("bucket_start", 1767225600000L).put("service", "service-" + i + "-" + "x".repeat(50));
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
        Page page = new RollupReport(QueryLimits.defaults()).read(request(5, 300), answer);
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

    @Test
    void withinTheBudgetThePageEndsWhereOpenSearchSays() {
        RollupReport report = new RollupReport(QueryLimits.defaults());
        assertThat(report.read(request(10, PageRequest.MAX_BYTES), answer(5, true)).nextCursor()).isNull(); // fewer than the limit: the last page
        Page full = report.read(request(5, PageRequest.MAX_BYTES), answer(5, true));
        assertThat(full.table().rows()).hasSize(5);
        assertThat(CursorCodec.decode(full.nextCursor(), "fp", List.of("bucket_start", "service")).path("service").asText()).startsWith("service-4-");
    }
}
