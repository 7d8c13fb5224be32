package dev.rollcall.query.reports;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.PageRequest;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.params.TimeWindow;
import dev.rollcall.query.table.Page;
import dev.rollcall.query.table.PageBudget;
import dev.rollcall.query.table.Table;

/**
 * {@code GET /v1/oncall}: pages and interruptions per month, in total and per service, each with the change
 * against the previous month and the same month a year before, and whether the month is complete. One multi-search
 * request: how far the job has computed (its watermark, else the latest hour rollup) and the month rollups from a year before
 * {@code from}: the months that have data, and under the filters, totals by month and services (paged) with their
 * months.
 *
 * <p>A month is complete when the hour rollups reach its end: its month rollup then sums every hour of it. The
 * wall clock cannot say so, since the job runs behind it (an hour at best, days after an outage). The job's
 * watermark says exactly; without one (only windows run by hand) the latest hour rollup stands in, and as hours
 * without events have no rollup, a month ending in a quiet spell then stays incomplete until the next hour with an
 * event (or a firing alert) after it has been computed.
 *
 * <p>A month "has data" when any rollup exists for it, whatever the filters: a filter narrows the rows and the
 * counts, never the months, so a filtered service's rows are its rows of the unfiltered report. Months without data
 * get no row, and a comparison with a month without data is {@code null} rather than a change against zero; a
 * service (or a filtered total) without rollups in a month that has data had zero pages. Changes are percentages,
 * {@code null} against zero. A total, like a service, has rows only when a rollup matching the filters exists in
 * the range.
 */
public final class OnCallReport implements Report<OnCallReport.Request> {

    public static final String ROUTE = "oncall";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("from", "to", "limit", "cursor");
    public static final List<String> COLUMNS = List.of("scope", "service", "month", "complete", "pages", "interruptions",
            "pages_previous_month", "interruptions_previous_month", "pages_change_month_pct", "interruptions_change_month_pct",
            "pages_previous_year", "interruptions_previous_year", "pages_change_year_pct", "interruptions_change_year_pct");
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 200;
    static final int DEFAULT_MONTHS = 12;
    /** Months read before {@code from}, for the year-over-year comparison. */
    private static final int LOOKBACK_MONTHS = 12;
    // Keeps services x months under OpenSearch's 65,535-bucket ceiling whatever ROLLCALL_QUERY_MAX_MONTHS says.
    private static final int MAX_BUCKETS_PER_PAGE = 60_000;

    /**
     * A parsed {@code /v1/oncall} request and how far the hour rollups reach: every hour before
     * {@code hoursComputedUntil} has been computed ({@link Instant#EPOCH} until it is read, or without hour rollups).
     */
    public record Request(TimeWindow window, Map<String, List<String>> filters, PageRequest page, Instant hoursComputedUntil) {

        Request withHoursComputedUntil(Instant until) {
            return new Request(window, filters, page, until);
        }

        Instant lookbackFrom() {
            return minusMonths(window.from(), LOOKBACK_MONTHS);
        }

        int monthsRead() {
            return (int) window.buckets() + LOOKBACK_MONTHS;
        }
    }

    /** Pages and interruptions of one month. */
    private record Load(long pages, long interruptions) {
        static final Load ZERO = new Load(0, 0);
    }

    private final QueryLimits limits;
    private final Clock clock;

    public OnCallReport(QueryLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** {@code to} defaults to the end of the current month, {@code from} to twelve months before {@code to}. */
    @Override
    public Request parse(QueryParameters parameters) {
        Instant to = parameters.optionalInstant("to")
                .orElseGet(() -> Interval.MONTH.next(Interval.MONTH.bucketStart(clock.instant())));
        Instant from = parameters.optionalInstant("from").orElseGet(() -> minusMonths(TimeWindow.ceil(to, Interval.MONTH), DEFAULT_MONTHS));
        TimeWindow window = TimeWindow.of(from, to, Interval.MONTH, limits);
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        int maxLimit = Math.min(MAX_LIMIT, MAX_BUCKETS_PER_PAGE / ((int) window.buckets() + LOOKBACK_MONTHS));
        // Without from or to the window comes from the clock: a cursor of one month's default window must not page
        // through the next month's, so the window as resolved is part of what the cursor continues.
        String scope = ROUTE + " " + window.from() + " " + window.to();
        PageRequest page = PageRequest.read(parameters, scope, List.of("service"), Math.min(DEFAULT_LIMIT, maxLimit), maxLimit);
        return new Request(window, filters, page, Instant.EPOCH);
    }

    /** Reads how far the hour rollups reach, then the months. */
    @Override
    public Page run(RollupSearch search, QueryParameters parameters) {
        Request request = parse(parameters);
        // One request for all three: the job's watermark where there is one (quiet hours leave no hour rollup, so a
        // month ending in a quiet spell would stay incomplete until the next alert), else the latest hour rollup, and
        // the months.
        RollupSearch.Together found = search.searchWithJobProgress(List.of(
                Map.entry(List.of(Interval.HOUR), latestHourBody()), Map.entry(intervals(request), body(request))));
        Instant hoursComputedUntil = found.jobProgress().map(RollupSearch.JobProgress::computedUntil)
                .orElseGet(() -> hoursComputedUntil(found.answers().get(0)));
        return read(request.withHoursComputedUntil(hoursComputedUntil), found.answers().get(1));
    }

    /**
     * The hour rollup with the latest bucket start: one sorted hit, which Lucene's sort optimisation can find from the
     * points of {@code bucket_start}, where a {@code max} aggregation would read every hour rollup.
     */
    static ObjectNode latestHourBody() {
        ObjectNode body = ApiJson.object();
        body.put("size", 1);
        body.put("track_total_hits", false);
        body.put("_source", false);
        body.set("query", SearchBodies.term("interval", Interval.HOUR.wire()));
        body.putArray("sort").addObject().putObject("bucket_start").put("order", "desc");
        return body;
    }

    /** The end of the latest hour rollup in {@link #latestHourBody()}'s answer; {@link Instant#EPOCH} if none. */
    static Instant hoursComputedUntil(JsonNode answer) {
        JsonNode latest = answer.path("hits").path("hits").path(0).path("sort").path(0);
        return latest.isIntegralNumber() ? Interval.HOUR.next(Instant.ofEpochMilli(latest.asLong())) : Instant.EPOCH;
    }

    @Override
    public List<Interval> intervals(Request request) {
        return List.of(Interval.MONTH);
    }

    @Override
    public ObjectNode body(Request request) {
        ObjectNode matchingAggs = ApiJson.object();
        matchingAggs.set("totals", SearchBodies.bucketStarts(request.monthsRead(), loadAggregations()));
        ObjectNode services = SearchBodies.composite(List.of("service"), request.page().limit(), request.page().after());
        services.putObject("aggs").set("months", SearchBodies.bucketStarts(request.monthsRead(), loadAggregations()));
        matchingAggs.set("services", services);
        // The query reads every rollup of the months, so that which months have data does not depend on the
        // filters; the filters narrow only the counted loads, in a filter aggregation.
        ObjectNode aggs = ApiJson.object();
        aggs.set("months", SearchBodies.bucketStarts(request.monthsRead(), ApiJson.object()));
        aggs.set("matching", SearchBodies.filter(SearchBodies.dimensionFilter(request.filters()), matchingAggs));
        return SearchBodies.search(SearchBodies.windowFilter(request.window(), request.lookbackFrom(), Map.of()), aggs);
    }

    private static ObjectNode loadAggregations() {
        ObjectNode aggs = ApiJson.object();
        aggs.set("pages", SearchBodies.sum("pages"));
        aggs.set("interruptions", SearchBodies.sum("interruptions"));
        return aggs;
    }

    @Override
    public Page read(Request request, JsonNode answer) {
        JsonNode aggregations = answer.path("aggregations");
        Set<Instant> withData = bucketStarts(aggregations.path("months"));
        JsonNode matching = aggregations.path("matching");
        Map<Instant, Load> totals = loads(matching.path("totals"));
        List<Instant> months = request.window().bucketStarts();
        Table.Builder table = Table.builder(COLUMNS);
        ObjectNode query = ReportParameters.echo(request.window(), request.filters());
        query.put("limit", request.page().limit());
        PageBudget budget = new PageBudget(request.page(), table, COLUMNS, query);
        Instant computed = request.hoursComputedUntil();
        // Filters that match nothing in the range answer no rows rather than a total of zeros.
        if (request.page().first() && months.stream().anyMatch(totals::containsKey)) {
            budget.addUnpaged(rows("total", null, months, totals, withData, computed));
        }
        JsonNode services = matching.path("services");
        for (JsonNode bucket : services.path("buckets")) {
            Map<Instant, Load> loads = loads(bucket.path("months"));
            // A service seen only in the look-back year is not part of this report (but still moves the cursor).
            List<List<Object>> rows = months.stream().anyMatch(loads::containsKey)
                    ? rows("service", bucket.path("key").path("service").asText(), months, loads, withData, computed) : List.of();
            if (!budget.add(bucket.path("key"), rows)) {
                break;
            }
        }
        return new Page(query, table.build(), budget.nextCursor(services));
    }

    /** One row per month of the window that has data. */
    private static List<List<Object>> rows(String scope, String service, List<Instant> months, Map<Instant, Load> loads,
                                           Set<Instant> withData, Instant hoursComputedUntil) {
        List<List<Object>> rows = new ArrayList<>();
        for (Instant month : months) {
            if (withData.contains(month)) {
                rows.add(row(scope, service, month, loads, withData, hoursComputedUntil));
            }
        }
        return rows;
    }

    private static List<Object> row(String scope, String service, Instant month, Map<Instant, Load> loads, Set<Instant> withData,
                                    Instant hoursComputedUntil) {
        Load load = loads.getOrDefault(month, Load.ZERO);
        Load previousMonth = previous(minusMonths(month, 1), loads, withData);
        Load previousYear = previous(minusMonths(month, 12), loads, withData);
        List<Object> row = new ArrayList<>(COLUMNS.size());
        row.add(scope);
        row.add(service);
        row.add(YearMonth.from(month.atZone(ZoneOffset.UTC)).toString());
        row.add(isComplete(month, hoursComputedUntil));
        row.add(load.pages());
        row.add(load.interruptions());
        addComparison(row, load, previousMonth);
        addComparison(row, load, previousYear);
        return row;
    }

    /**
     * Whether every hour of the month has been computed; until then its counts are still growing and compare low
     * against complete months.
     */
    private static boolean isComplete(Instant month, Instant hoursComputedUntil) {
        return !Interval.MONTH.next(month).isAfter(hoursComputedUntil);
    }

    /** The load of an earlier month, or null when that month has no data at all. */
    private static Load previous(Instant month, Map<Instant, Load> loads, Set<Instant> withData) {
        return withData.contains(month) ? loads.getOrDefault(month, Load.ZERO) : null;
    }

    private static void addComparison(List<Object> row, Load now, Load before) {
        row.add(before == null ? null : before.pages());
        row.add(before == null ? null : before.interruptions());
        row.add(before == null ? null : changePercent(now.pages(), before.pages()));
        row.add(before == null ? null : changePercent(now.interruptions(), before.interruptions()));
    }

    /** Percent change rounded to one decimal; null against zero, where no percentage means anything. */
    static Double changePercent(long now, long before) {
        if (before == 0) {
            return null;
        }
        return Math.round((now - before) * 1000.0 / before) / 10.0;
    }

    private static Set<Instant> bucketStarts(JsonNode termsAggregation) {
        Set<Instant> starts = new HashSet<>();
        termsAggregation.path("buckets").forEach(bucket -> starts.add(Instant.ofEpochMilli(bucket.path("key").asLong())));
        return starts;
    }

    private static Map<Instant, Load> loads(JsonNode termsAggregation) {
        Map<Instant, Load> loads = new HashMap<>();
        for (JsonNode bucket : termsAggregation.path("buckets")) {
            loads.put(Instant.ofEpochMilli(bucket.path("key").asLong()),
                    new Load(MetricSelection.sum(bucket, "pages"), MetricSelection.sum(bucket, "interruptions")));
        }
        return loads;
    }

    private static Instant minusMonths(Instant month, int months) {
        return month.atZone(ZoneOffset.UTC).minusMonths(months).toInstant();
    }
}
