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
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiError;
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
 * request: how far the job has computed (its watermark, else the latest hour rollup), the first day rollup, and the
 * month rollups from a year before {@code from}: the months that have data, and under the filters, totals by month and
 * services (paged) with their months.
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
 * {@code null} against zero, and {@code null} while the month is incomplete or when the month compared with was not
 * collected throughout (collecting began after its first day, or after it ended: the day of the job's recorded
 * {@code collecting_since}, else the earliest day rollup): both hold only part of a month, and their change would
 * measure the missing days. A total, like a service, has rows only when a rollup matching the
 * filters exists in the range.
 */
public final class OnCallReport implements Report<OnCallReport.Request> {

    public static final String ROUTE = "oncall";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("from", "to", "limit", "cursor");
    public static final List<String> COLUMNS = List.of("scope", "service", "month", "complete", "pages", "interruptions",
            "pages_previous_month", "interruptions_previous_month", "pages_change_month_pct", "interruptions_change_month_pct",
            "pages_previous_year", "interruptions_previous_year", "pages_change_year_pct", "interruptions_change_year_pct");
    public static final int DEFAULT_LIMIT = 100;
    /** The query echo's field naming the day collecting began: the job's record of it, else the first day with any rollup. */
    public static final String COLLECTING_SINCE = "collecting_since";
    public static final int MAX_LIMIT = 200;
    static final int DEFAULT_MONTHS = 12;
    /** Months read before {@code from}, for the year-over-year comparison. */
    private static final int LOOKBACK_MONTHS = 12;
    // Keeps services x months under OpenSearch's 65,535-bucket ceiling whatever ROLLCALL_QUERY_MAX_MONTHS says.
    private static final int MAX_BUCKETS_PER_PAGE = 60_000;

    /**
     * A parsed {@code /v1/oncall} request, how far the hour rollups reach (every hour before {@code hoursComputedUntil}
     * has been computed; {@link Instant#EPOCH} until it is read, or without hour rollups) and the first day with any
     * rollup or, where the job recorded it ({@code dataSinceRecorded}), the day collecting began ({@code dataSince};
     * {@link Instant#EPOCH} until it is read, or without either).
     */
    public record Request(TimeWindow window, Map<String, List<String>> filters, PageRequest page, Instant hoursComputedUntil,
                          Instant dataSince, boolean dataSinceRecorded) {

        Request withProgress(Instant hoursComputedUntil, Instant dataSince, boolean dataSinceRecorded) {
            return new Request(window, filters, page, hoursComputedUntil, dataSince, dataSinceRecorded);
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

    /**
     * {@code to} defaults to the end of the current month, {@code from} to twelve months before {@code to}, or as many
     * as one request may span when that is fewer.
     */
    @Override
    public Request parse(QueryParameters parameters) {
        Optional<Instant> sentTo = parameters.optionalInstant("to");
        Instant to = sentTo.orElseGet(() -> Interval.MONTH.next(Interval.MONTH.bucketStart(clock.instant())));
        // A range the client left to the defaults is never too long, so a 400 for its length always blames an end it sent.
        int defaultMonths = Math.min(DEFAULT_MONTHS, limits.maxMonths());
        Instant from = parameters.optionalInstant("from").orElseGet(() -> minusMonths(TimeWindow.ceil(to, Interval.MONTH), defaultMonths));
        if (sentTo.isEmpty() && !from.isBefore(to)) {
            // The client sent no to: the message must say where the end it is compared with came from.
            throw ApiError.badParameter("from", "from (" + from + ") must be before to (" + to
                    + ", the end of the current month when to is not sent)");
        }
        TimeWindow window = TimeWindow.widened(from, to, Interval.MONTH);
        if (window.buckets() > limits.maxMonths()) {
            throw tooManyMonths(window, sentTo.isPresent());
        }
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        int maxLimit = Math.min(MAX_LIMIT, MAX_BUCKETS_PER_PAGE / ((int) window.buckets() + LOOKBACK_MONTHS));
        // Without from or to the window comes from the clock: a cursor of one month's default window must not page
        // through the next month's, so the window as resolved is part of what the cursor continues.
        String scope = ROUTE + " " + window.from() + " " + window.to();
        PageRequest page = PageRequest.read(parameters, scope, List.of("service"), Math.min(DEFAULT_LIMIT, maxLimit), maxLimit);
        return new Request(window, filters, page, Instant.EPOCH, Instant.EPOCH, false);
    }

    /**
     * The 400 for a range of more months than one request may span. It names {@code to} when the client sent it, else
     * {@code from}, the only end sent (the defaults never make a range too long); unlike the routes that take an
     * interval, it has no coarser interval to suggest.
     */
    private ApiError tooManyMonths(TimeWindow window, boolean toSent) {
        int max = limits.maxMonths();
        String span = "from " + window.from() + " to " + window.to() + (toSent ? "" : " (without to, the end of the current month)")
                + " is " + window.buckets() + " months, more than the " + max + " one request may span: ";
        return toSent
                ? ApiError.badParameter("to", span + "shorten the range")
                : ApiError.badParameter("from", span + "send a later from, or a to at most " + max + " months after it");
    }

    /** Reads how far the hour rollups reach and where the data starts, then the months. */
    @Override
    public Page answer(RollupSearch search, Request request) {
        // One request for all four: the job's watermark where there is one (quiet hours leave no hour rollup, so a
        // month ending in a quiet spell would stay incomplete until the next alert), else the latest hour rollup, the
        // first day rollup, and the months.
        RollupSearch.Together found = search.searchWithJobProgress(List.of(
                Map.entry(List.of(Interval.HOUR), edgeBucketBody(Interval.HOUR, true)),
                Map.entry(List.of(Interval.DAY), edgeBucketBody(Interval.DAY, false)),
                Map.entry(intervals(request), body(request))));
        Instant hoursComputedUntil = found.jobProgress().map(RollupSearch.JobProgress::computedUntil)
                .orElseGet(() -> edgeBucketStart(found.answers().get(0)).map(Interval.HOUR::next).orElse(Instant.EPOCH));
        // Where the job recorded when collecting began, that day; else the first day with a rollup, which an alert
        // that had been firing for weeks when its source was connected dates too early.
        Optional<Instant> recorded = found.jobProgress().flatMap(RollupSearch.JobProgress::collectingSince).map(Interval.DAY::bucketStart);
        Instant dataSince = recorded.or(() -> edgeBucketStart(found.answers().get(1))).orElse(Instant.EPOCH);
        return Report.withComputedUntil(read(request.withProgress(hoursComputedUntil, dataSince, recorded.isPresent()), found.answers().get(2)),
                found.jobProgress());
    }

    /**
     * The rollup of {@code interval} with the earliest or latest bucket start, whatever the filters: one sorted hit,
     * which Lucene's sort optimisation finds from the points of {@code bucket_start}, where a {@code min} or {@code max}
     * aggregation would read every rollup of the interval.
     */
    static ObjectNode edgeBucketBody(Interval interval, boolean latest) {
        ObjectNode body = ApiJson.object();
        body.put("size", 1);
        body.put("track_total_hits", false);
        body.put("_source", false);
        body.set("query", SearchBodies.term("interval", interval.wire()));
        body.putArray("sort").addObject().putObject("bucket_start").put("order", latest ? "desc" : "asc");
        return body;
    }

    /** The bucket start found by {@link #edgeBucketBody}; empty when the interval has no rollup. */
    static Optional<Instant> edgeBucketStart(JsonNode answer) {
        JsonNode start = answer.path("hits").path("hits").path(0).path("sort").path(0);
        return start.isIntegralNumber() ? Optional.of(Instant.ofEpochMilli(start.asLong())) : Optional.empty();
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
        // Why a month's change can be null although it is complete: the first month counts only from this day on.
        if (request.dataSince().equals(Instant.EPOCH)) {
            query.putNull(COLLECTING_SINCE);
        } else {
            query.put(COLLECTING_SINCE, request.dataSince().toString());
        }
        PageBudget budget = new PageBudget(request.page(), table, COLUMNS, query);
        Coverage coverage = new Coverage(request.hoursComputedUntil(), request.dataSince(), request.dataSinceRecorded());
        // Filters that match nothing in the range answer no rows rather than a total of zeros.
        if (request.page().first() && months.stream().anyMatch(totals::containsKey)) {
            budget.addUnpaged(rows("total", null, months, totals, withData, coverage));
        }
        JsonNode services = matching.path("services");
        for (JsonNode bucket : services.path("buckets")) {
            Map<Instant, Load> loads = loads(bucket.path("months"));
            // A service seen only in the look-back year is not part of this report (but still moves the cursor).
            List<List<Object>> rows = months.stream().anyMatch(loads::containsKey)
                    ? rows("service", bucket.path("key").path("service").asText(), months, loads, withData, coverage) : List.of();
            if (!budget.add(bucket.path("key"), rows)) {
                break;
            }
        }
        return new Page(query, table.build(), budget.nextCursor(services));
    }

    /**
     * Which months hold whole counts: every hour before {@code hoursComputedUntil} has been computed, and collecting
     * began on {@code dataSince}, as the job {@code recorded} it or else the first day rollup.
     */
    private record Coverage(Instant hoursComputedUntil, Instant dataSince, boolean recorded) {

        /**
         * Whether every hour of the month has been computed; until then its counts are still growing and compare low
         * against complete months.
         */
        boolean complete(Instant month) {
            return !Interval.MONTH.next(month).isAfter(hoursComputedUntil);
        }

        /**
         * Whether collecting ran the whole month: not when it began after the month's first day, nor when the month
         * ended before it began (its rollups hold only alerts that arrived late), as either holds only part of a month.
         */
        boolean collectedThroughout(Instant month) {
            if (!month.isBefore(dataSince)) {
                return true;
            }
            // Without the job's record only the month the first day rollup falls in is known to be partial: a month
            // before it can have rollups only if day rollups were deleted, which says nothing about collecting.
            return !recorded && !Interval.MONTH.next(month).isAfter(dataSince);
        }
    }

    /** One row per month of the window that has data. */
    private static List<List<Object>> rows(String scope, String service, List<Instant> months, Map<Instant, Load> loads,
                                           Set<Instant> withData, Coverage coverage) {
        List<List<Object>> rows = new ArrayList<>();
        for (Instant month : months) {
            if (withData.contains(month)) {
                rows.add(row(scope, service, month, loads, withData, coverage));
            }
        }
        return rows;
    }

    private static List<Object> row(String scope, String service, Instant month, Map<Instant, Load> loads, Set<Instant> withData,
                                    Coverage coverage) {
        Load load = loads.getOrDefault(month, Load.ZERO);
        boolean complete = coverage.complete(month);
        List<Object> row = new ArrayList<>(COLUMNS.size());
        row.add(scope);
        row.add(service);
        row.add(YearMonth.from(month.atZone(ZoneOffset.UTC)).toString());
        row.add(complete);
        row.add(load.pages());
        row.add(load.interruptions());
        for (int monthsBack : new int[] {1, 12}) {
            Instant earlier = minusMonths(month, monthsBack);
            // A month still being counted, or one compared with a month collected only in part, would show a change
            // that is only the missing days (-90 % on the 3rd of the month): the counts stay, the change is null.
            addComparison(row, load, previous(earlier, loads, withData), complete && coverage.collectedThroughout(earlier));
        }
        return row;
    }

    /** The load of an earlier month, or null when that month has no data at all. */
    private static Load previous(Instant month, Map<Instant, Load> loads, Set<Instant> withData) {
        return withData.contains(month) ? loads.getOrDefault(month, Load.ZERO) : null;
    }

    private static void addComparison(List<Object> row, Load now, Load before, boolean comparable) {
        row.add(before == null ? null : before.pages());
        row.add(before == null ? null : before.interruptions());
        row.add(before == null || !comparable ? null : changePercent(now.pages(), before.pages()));
        row.add(before == null || !comparable ? null : changePercent(now.interruptions(), before.interruptions()));
    }

    /**
     * Percent change rounded to one decimal, halves away from zero so that a fall reads as large as the same rise
     * (Math.round alone took -6.25 to -6.2 and 6.25 to 6.3); null against zero, where no percentage means anything.
     */
    static Double changePercent(long now, long before) {
        if (before == 0) {
            return null;
        }
        double tenths = (now - before) * 1000.0 / before;
        // + 0.0: a fall too small to show is 0.0, not -0.0.
        return Math.copySign(Math.round(Math.abs(tenths)), tenths) / 10.0 + 0.0;
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
