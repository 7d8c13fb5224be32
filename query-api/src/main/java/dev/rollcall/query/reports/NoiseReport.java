package dev.rollcall.query.reports;

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
 * {@code GET /v1/noise}: per service (and in total, on the first page) how much of its alerting is noise. Shares
 * are fractions from 0 to 1, {@code null} when their denominator is zero. Each denominator counts the same kind of
 * thing as its numerator, as the job defines them ({@code RollupMetrics}):
 * <ul>
 * <li>{@code duplicates_share}, {@code correlated_share}: of firing events;</li>
 * <li>{@code flapping_share}: flapping state changes of all state changes, which are the episodes opened (firings
 *     that were not duplicates) plus the episodes resolved ({@code episodes});</li>
 * <li>{@code standing_share}: episodes still firing after the standing threshold, of the episodes opened;</li>
 * <li>{@code transient_share}: episodes that resolved by themselves, of all episodes;</li>
 * <li>{@code ignored_share}: events of urgency {@code ignore}, of all events;</li>
 * <li>{@code low_urgency_share}: events of urgency {@code low} (the next business day's, paging no one), of all events;</li>
 * <li>{@code actionable_share}: {@code actionable} of {@code classified}, the job's counts of firings whose noise
 *     verdict became final in the range ({@code RollupMetrics}): each firing once, noise if ignored, duplicate,
 *     correlated, flapping, transient or standing, however many of these it is, else actionable. A verdict can
 *     follow its firing by up to a day (standing), so {@code classified} is not {@code firing}, and a firing still
 *     awaiting its verdict is in neither. Rollups written before the job counted verdicts (rollup template v4) have
 *     neither field: of those, every firing counts as classified and {@code actionable} is the old lower bound,
 *     firings of any urgency but {@code ignore} less their duplicates, correlated and transients, at least zero.</li>
 * </ul>
 * Flaps and standing episodes are counted in the bucket where they are recognised (the change that completes a
 * flapping run, the crossing of the standing threshold), which can be a later bucket than the changes or the
 * opening they refer to. A range that starts just before such a bucket can hold more of them than of their
 * denominator, so these two shares are capped at 1.
 */
public final class NoiseReport implements Report<NoiseReport.Request> {

    public static final String ROUTE = "noise";
    public static final List<String> PARAMETERS = ReportParameters.withFilters("from", "to", "interval", "limit", "cursor");
    static final List<String> COUNTS = List.of("events", "firing", "episodes", "duplicates", "correlated", "flaps",
            "transients", "standing", "ignored", "classified", "actionable");
    /** Sums over rollups without {@code classified}, for the lower bound they fall back to. */
    private static final String LEGACY = "without_verdicts";
    private static final List<String> LEGACY_COUNTS = List.of("firing", "duplicates", "correlated", "transients");
    /** The events of urgency low, under a filter aggregation of that name. */
    private static final String LOW_URGENCY = "low_urgency";
    public static final List<String> COLUMNS = List.of("scope", "service", "events", "firing", "episodes", "duplicates",
            "correlated", "flaps", "transients", "standing", "ignored", "low_urgency", "classified", "actionable", "duplicates_share", "correlated_share",
            "flapping_share", "transient_share", "standing_share", "ignored_share", "low_urgency_share", "actionable_share");

    /** A parsed {@code /v1/noise} request. */
    public record Request(TimeWindow window, Map<String, List<String>> filters, PageRequest page) {
    }

    private final QueryLimits limits;

    public NoiseReport(QueryLimits limits) {
        this.limits = limits;
    }

    @Override
    public Request parse(QueryParameters parameters) {
        TimeWindow window = TimeWindow.read(parameters, Optional.empty(), limits);
        Map<String, List<String>> filters = Dimensions.filters(parameters);
        PageRequest page = PageRequest.read(parameters, ROUTE, List.of("service"), limits.defaultPageSize(), limits.maxPageSize());
        return new Request(window, filters, page);
    }

    @Override
    public List<Interval> intervals(Request request) {
        return List.of(request.window().interval());
    }

    @Override
    public ObjectNode body(Request request) {
        // The same counts for the total (root level) and for each service (under the composite).
        ObjectNode aggs = countAggregations();
        ObjectNode services = SearchBodies.composite(List.of("service"), request.page().limit(), request.page().after());
        services.set("aggs", countAggregations());
        aggs.set("services", services);
        return SearchBodies.search(SearchBodies.windowFilter(request.window(), request.filters()), aggs);
    }

    private static ObjectNode countAggregations() {
        ObjectNode aggs = ApiJson.object();
        COUNTS.forEach(count -> aggs.set(count, SearchBodies.sum(count)));
        ObjectNode legacyAggs = ApiJson.object();
        legacyAggs.set("firing", SearchBodies.sum("firing"));
        ObjectNode attendedAggs = ApiJson.object();
        LEGACY_COUNTS.forEach(count -> attendedAggs.set(count, SearchBodies.sum(count)));
        ObjectNode notIgnored = ApiJson.object();
        notIgnored.putObject("bool").putArray("must_not").add(SearchBodies.term("urgency", "ignore"));
        legacyAggs.set("attended", SearchBodies.filter(notIgnored, attendedAggs));
        ObjectNode withoutVerdicts = ApiJson.object();
        withoutVerdicts.putObject("bool").putArray("must_not").addObject().putObject("exists").put("field", "classified");
        aggs.set(LEGACY, SearchBodies.filter(withoutVerdicts, legacyAggs));
        ObjectNode lowAggs = ApiJson.object();
        lowAggs.set("events", SearchBodies.sum("events"));
        aggs.set(LOW_URGENCY, SearchBodies.filter(SearchBodies.term("urgency", "low"), lowAggs));
        return aggs;
    }

    @Override
    public Page read(Request request, JsonNode answer) {
        JsonNode aggregations = answer.path("aggregations");
        Table.Builder table = Table.builder(COLUMNS);
        ObjectNode query = ReportParameters.echo(request.window(), request.filters());
        query.put("limit", request.page().limit());
        PageBudget budget = new PageBudget(request.page(), table, COLUMNS, query);
        JsonNode services = aggregations.path("services");
        // Every rollup has a service (or "unknown"), so an empty first page means no rollups: no total row either.
        if (request.page().first() && !services.path("buckets").isEmpty()) {
            budget.addUnpaged(List.of(row("total", null, aggregations)));
        }
        for (JsonNode bucket : services.path("buckets")) {
            if (!budget.add(bucket.path("key"), List.of(row("service", bucket.path("key").path("service").asText(), bucket)))) {
                break;
            }
        }
        return new Page(query, table.build(), budget.nextCursor(services));
    }

    /** One row from the sums of an aggregation bucket (the root one for the total). */
    static List<Object> row(String scope, String service, JsonNode counts) {
        long events = MetricSelection.sum(counts, "events");
        long firing = MetricSelection.sum(counts, "firing");
        long episodes = MetricSelection.sum(counts, "episodes");
        long duplicates = MetricSelection.sum(counts, "duplicates");
        long correlated = MetricSelection.sum(counts, "correlated");
        long flaps = MetricSelection.sum(counts, "flaps");
        long transients = MetricSelection.sum(counts, "transients");
        long standing = MetricSelection.sum(counts, "standing");
        long ignored = MetricSelection.sum(counts, "ignored");
        long lowUrgency = MetricSelection.sum(counts.path(LOW_URGENCY), "events");
        JsonNode legacy = counts.path(LEGACY);
        JsonNode attended = legacy.path("attended");
        long classified = MetricSelection.sum(counts, "classified") + MetricSelection.sum(legacy, "firing");
        long actionable = MetricSelection.sum(counts, "actionable") + Math.max(0, MetricSelection.sum(attended, "firing")
                - MetricSelection.sum(attended, "duplicates") - MetricSelection.sum(attended, "correlated")
                - MetricSelection.sum(attended, "transients"));
        // Every firing either opened an episode or was a duplicate of an open one.
        long opened = Math.max(0, firing - duplicates);
        List<Object> row = new ArrayList<>(COLUMNS.size());
        row.addAll(java.util.Arrays.asList(scope, service, events, firing, episodes, duplicates, correlated, flaps, transients,
                standing, ignored, lowUrgency, classified, actionable));
        row.add(share(duplicates, firing));
        row.add(share(correlated, firing));
        row.add(cappedShare(flaps, opened + episodes));
        row.add(share(transients, episodes));
        row.add(cappedShare(standing, opened));
        row.add(share(ignored, events));
        row.add(share(lowUrgency, events));
        row.add(share(actionable, classified));
        return row;
    }

    /** {@code part / whole} rounded to four decimals; null when {@code whole} is zero. */
    static Double share(long part, long whole) {
        return whole == 0 ? null : Math.round(part * 10_000.0 / whole) / 10_000.0;
    }

    /** {@link #share} at most 1, for parts counted in a later bucket than their whole (see the class comment). */
    static Double cappedShare(long part, long whole) {
        return share(Math.min(part, whole), whole);
    }
}
