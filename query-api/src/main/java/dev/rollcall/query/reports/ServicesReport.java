package dev.rollcall.query.reports;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.PageRequest;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.table.Page;
import dev.rollcall.query.table.PageBudget;
import dev.rollcall.query.table.Table;

/**
 * {@code GET /v1/services}: every service with rollups, and the first and latest bucket in which it had alert
 * events, across all intervals, each at the finest interval that shows it (an hour where hourly rollups cover it).
 * Rollups that carry only the firing time of an episode opened earlier are not activity.
 */
public final class ServicesReport implements Report<ServicesReport.Request> {

    public static final String ROUTE = "services";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("limit", "cursor");
    public static final List<String> COLUMNS = List.of("service", "first_activity", "latest_activity", "activity_interval");
    private static final List<Interval> FINEST_FIRST = List.of(Interval.HOUR, Interval.DAY, Interval.MONTH);
    private static final String ACTIVE = "with_events";

    /** A parsed {@code /v1/services} request. */
    public record Request(Map<String, List<String>> filters, PageRequest page) {
    }

    private final QueryLimits limits;

    public ServicesReport(QueryLimits limits) {
        this.limits = limits;
    }

    @Override
    public Request parse(QueryParameters parameters) {
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        return new Request(filters, PageRequest.read(parameters, ROUTE, List.of("service"), limits.defaultPageSize(), limits.maxPageSize()));
    }

    @Override
    public List<Interval> intervals(Request request) {
        return FINEST_FIRST;
    }

    @Override
    public ObjectNode body(Request request) {
        ObjectNode services = SearchBodies.composite(List.of("service"), request.page().limit(), request.page().after());
        ObjectNode perInterval = services.putObject("aggs");
        for (Interval interval : FINEST_FIRST) {
            ObjectNode activity = ApiJson.object();
            activity.set("first", SearchBodies.metric("min", "bucket_start"));
            activity.set("latest", SearchBodies.metric("max", "bucket_start"));
            ObjectNode active = ApiJson.object();
            active.set(ACTIVE, SearchBodies.filter(SearchBodies.withEvents(), activity));
            perInterval.set(interval.wire(), SearchBodies.intervalFilter(interval.wire(), active));
        }
        ObjectNode aggs = ApiJson.object();
        aggs.set("services", services);
        return SearchBodies.search(SearchBodies.dimensionFilter(request.filters()), aggs);
    }

    /**
     * The service, its first and latest activity, and the coarsest interval they were read from. A coarser interval
     * counts only where it shows activity outside the buckets of the finer ones: hours may cover less than the days
     * and months (older hours deleted, a job run for days or months alone), and a month's start is not when its
     * first event was.
     */
    private static List<Object> row(JsonNode bucket) {
        Instant first = null;
        Instant latest = null;
        Interval coarsest = null;
        for (Interval interval : FINEST_FIRST) {
            JsonNode activity = bucket.path(interval.wire()).path(ACTIVE);
            if (activity.path("doc_count").asLong() == 0) {
                continue;
            }
            Instant intervalFirst = Instant.ofEpochMilli(activity.path("first").path("value").asLong());
            Instant intervalLatest = Instant.ofEpochMilli(activity.path("latest").path("value").asLong());
            if (first == null || intervalFirst.isBefore(interval.bucketStart(first))) {
                first = intervalFirst;
                coarsest = interval;
            }
            if (latest == null || intervalLatest.isAfter(interval.bucketStart(latest))) {
                latest = intervalLatest;
                coarsest = interval;
            }
        }
        return java.util.Arrays.asList(bucket.path("key").path("service").asText(), first, latest,
                coarsest == null ? null : coarsest.wire());
    }

    @Override
    public Page read(Request request, JsonNode answer) {
        Table.Builder table = Table.builder(COLUMNS);
        ObjectNode query = ReportParameters.echo(null, request.filters());
        query.put("limit", request.page().limit());
        PageBudget budget = new PageBudget(request.page(), table, COLUMNS, query);
        JsonNode services = answer.path("aggregations").path("services");
        for (JsonNode bucket : services.path("buckets")) {
            if (!budget.add(bucket.path("key"), List.of(row(bucket)))) {
                break;
            }
        }
        return new Page(query, table.build(), budget.nextCursor(services));
    }
}
