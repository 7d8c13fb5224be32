package dev.rollcall.query.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 * {@code GET /v1/rollups}: the chosen metrics per time bucket and up to three dimensions, read from the rollups
 * of one interval in one composite aggregation and paged by its {@code after_key}.
 */
public final class RollupReport implements Report<RollupReport.Request> {

    public static final String ROUTE = "rollups";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("from", "to", "interval", "group_by", "metrics", "limit", "cursor");
    static final String BUCKET_START = "bucket_start";

    /** A parsed {@code /v1/rollups} request. */
    public record Request(TimeWindow window, List<String> groupBy, Map<String, List<String>> filters, MetricSelection metrics, PageRequest page) {

        List<String> keys() {
            return RollupReport.keys(groupBy);
        }
    }

    /** Composite source names, which are also the leading columns: the bucket start, then the group-by fields. */
    static List<String> keys(List<String> groupBy) {
        List<String> keys = new ArrayList<>();
        keys.add(BUCKET_START);
        keys.addAll(groupBy);
        return keys;
    }

    private final QueryLimits limits;

    public RollupReport(QueryLimits limits) {
        this.limits = limits;
    }

    /** Checks every parameter, in the order of {@link #PARAMETERS}; the first bad one is a 400. */
    @Override
    public Request parse(QueryParameters parameters) {
        TimeWindow window = TimeWindow.read(parameters, Optional.of(Interval.DAY), limits);
        List<String> groupBy = Dimensions.groupBy(parameters);
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        MetricSelection metrics = MetricSelection.parse(parameters);
        PageRequest page = PageRequest.read(parameters, ROUTE, keys(groupBy), limits.defaultPageSize(), limits.maxPageSize());
        return new Request(window, groupBy, filters, metrics, page);
    }

    @Override
    public List<Interval> intervals(Request request) {
        return List.of(request.window().interval());
    }

    @Override
    public ObjectNode body(Request request) {
        ObjectNode rows = SearchBodies.composite(request.keys(), request.page().limit(), request.page().after());
        request.metrics().addAggregations(rows.putObject("aggs"));
        ObjectNode aggs = ApiJson.object();
        aggs.set("rows", rows);
        return SearchBodies.search(SearchBodies.windowFilter(request.window(), request.filters()), aggs);
    }

    @Override
    public Page read(Request request, JsonNode answer) {
        List<String> columns = new ArrayList<>(request.keys());
        columns.addAll(request.metrics().names());
        ObjectNode query = ReportParameters.echo(request.window(), request.filters());
        request.groupBy().forEach(query.putArray("group_by")::add);
        request.metrics().names().forEach(query.putArray("metrics")::add);
        query.put("limit", request.page().limit());
        Table.Builder table = Table.builder(columns);
        PageBudget budget = new PageBudget(request.page(), table, columns, query);
        JsonNode rows = answer.path("aggregations").path("rows");
        for (JsonNode bucket : rows.path("buckets")) {
            List<Object> row = new ArrayList<>(columns.size());
            row.add(Instant.ofEpochMilli(bucket.path("key").path(BUCKET_START).asLong()));
            for (String field : request.groupBy()) {
                row.add(bucket.path("key").path(field).asText());
            }
            row.addAll(request.metrics().read(bucket));
            if (!budget.add(bucket.path("key"), List.of(row))) {
                break;
            }
        }
        return new Page(query, table.build(), budget.nextCursor(rows));
    }
}
