package dev.rollcall.query.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.Interval;
import dev.rollcall.core.rollup.RollupDocument;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.params.TimeWindow;
import dev.rollcall.query.table.Page;
import dev.rollcall.query.table.Table;

/**
 * {@code GET /v1/alerts/top}: the alerts (fingerprints) with the most events, pages, flaps, duplicates (firings
 * while already open), correlated firings (with another alarm of the same service, one incident) or firing time in a range, with their latest name, service and other dimensions. One terms aggregation ordered by the
 * chosen sum; alerts where that sum is zero are left out.
 *
 * <p>The dimensions come from the alert's rollup with its latest firing ({@code last_fired_at}), whatever the
 * interval: a day or month rollup holds no order of its own, and an alert renamed or re-rated within one (a Sentry
 * issue, a finding's new severity) was shown with whichever rollup had the most firings. Without firings in the range
 * (or on rollups written before that field), the rollup of its latest bucket. One fingerprint can have several
 * rollups in a bucket, because urgency and severity are part of a rollup's key and an alert's info events are often
 * classified {@code ignore} while its firings page: the one with the most firings is taken, so a paging alarm is shown
 * with the urgency it paged with (a resolution counts under the firing whose episode it ends, so it splits nothing).
 */
public final class TopAlertsReport implements Report<TopAlertsReport.Request> {

    public static final String ROUTE = "alerts_top";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("from", "to", "interval", "by", "limit");
    /** {@code by} values and the stored metric each one ranks by. */
    public static final Map<String, String> RANKINGS = orderedRankings();
    public static final List<String> BY = List.copyOf(RANKINGS.keySet());
    public static final int MAX_LIMIT = 100;
    public static final int DEFAULT_LIMIT = 10;
    static final List<String> DIMENSION_COLUMNS = List.of("name", "service", "source", "account", "environment", "severity", "urgency");
    static final List<String> METRIC_COLUMNS = List.of("events", "pages", "interruptions", "flaps", "duplicates", "correlated", "firing_ms");
    /** Dimensions that settle which rollup of the latest bucket names the row when firings and events tie: urgency "high" first. */
    private static final List<String> TIE_BREAKS = List.of("urgency", "severity", "service", "environment", "account", "source", "name");
    public static final List<String> COLUMNS = columns();

    /** A parsed {@code /v1/alerts/top} request. */
    public record Request(TimeWindow window, String by, Map<String, List<String>> filters, int limit) {
    }

    private final QueryLimits limits;

    public TopAlertsReport(QueryLimits limits) {
        this.limits = limits;
    }

    private static Map<String, String> orderedRankings() {
        Map<String, String> rankings = new java.util.LinkedHashMap<>();
        rankings.put("events", "events");
        rankings.put("pages", "pages");
        rankings.put("flaps", "flaps");
        rankings.put("duplicates", "duplicates");
        rankings.put("correlated", "correlated");
        rankings.put("firing_time", "firing_ms");
        return java.util.Collections.unmodifiableMap(rankings);
    }

    @Override
    public Request parse(QueryParameters parameters) {
        TimeWindow window = TimeWindow.read(parameters, Optional.empty(), limits);
        String by = parameters.choice("by", BY, "events");
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        int limit = parameters.limit("limit", DEFAULT_LIMIT, MAX_LIMIT);
        return new Request(window, by, filters, limit);
    }

    @Override
    public List<Interval> intervals(Request request) {
        return List.of(request.window().interval());
    }

    @Override
    public ObjectNode body(Request request) {
        ObjectNode alerts = ApiJson.object();
        ObjectNode terms = alerts.putObject("terms");
        terms.put("field", "fingerprint").put("size", request.limit());
        ArrayNode order = terms.putArray("order");
        order.addObject().put(RANKINGS.get(request.by()), "desc");
        order.addObject().put("_key", "asc");
        ObjectNode aggs = alerts.putObject("aggs");
        METRIC_COLUMNS.forEach(metric -> aggs.set(metric, SearchBodies.sum(metric)));
        ObjectNode latest = aggs.putObject("latest").putObject("top_hits");
        latest.put("size", 1);
        ArrayNode sort = latest.putArray("sort");
        // Missing on rollups without a firing and on those written before the field: they come after every firing.
        sort.addObject().putObject(RollupDocument.LAST_FIRED_AT).put("order", "desc").put("missing", "_last").put("unmapped_type", "date");
        sort.addObject().putObject("bucket_start").put("order", "desc");
        // Among rollups of the same bucket, the one with firings (the metrics have doc values, so they sort).
        sort.addObject().putObject("firing").put("order", "desc");
        sort.addObject().putObject("events").put("order", "desc");
        // Rollups of one fingerprint and bucket differ in some dimension: without these, a tie would fall to Lucene's
        // document order, which a merge or a rerun of the job can change, and the row's severity with it.
        TIE_BREAKS.forEach(field -> sort.addObject().putObject(field).put("order", "asc"));
        ArrayNode includes = latest.putObject("_source").putArray("includes");
        DIMENSION_COLUMNS.forEach(includes::add);
        ObjectNode root = ApiJson.object();
        root.set("alerts", alerts);
        return SearchBodies.search(SearchBodies.windowFilter(request.window(), request.filters()), root);
    }

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("rank", "fingerprint"));
        columns.addAll(DIMENSION_COLUMNS);
        columns.addAll(METRIC_COLUMNS);
        return List.copyOf(columns);
    }

    @Override
    public Page read(Request request, JsonNode answer) {
        Table.Builder table = Table.builder(COLUMNS);
        long rank = 0;
        for (JsonNode bucket : answer.path("aggregations").path("alerts").path("buckets")) {
            if (MetricSelection.sum(bucket, RANKINGS.get(request.by())) == 0) {
                continue;
            }
            List<Object> row = new ArrayList<>(COLUMNS.size());
            row.add(++rank);
            row.add(bucket.path("key").asText());
            JsonNode source = bucket.path("latest").path("hits").path("hits").path(0).path("_source");
            DIMENSION_COLUMNS.forEach(field -> row.add(source.path(field).asText(null)));
            METRIC_COLUMNS.forEach(metric -> row.add(MetricSelection.sum(bucket, metric)));
            table.add(row);
        }
        ObjectNode query = ReportParameters.echo(request.window(), request.filters());
        query.put("by", request.by());
        query.put("limit", request.limit());
        return new Page(query, table.build(), null);
    }
}
