package dev.rollcall.query.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.rollup.RollupKey;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.TimeWindow;

/**
 * Pieces of OpenSearch search bodies, built as JSON trees. Field names are checked against the rollup mapping's
 * dimensions; client values only ever become JSON values, never query text.
 */
public final class SearchBodies {

    private static final List<String> KEYWORD_FIELDS;

    static {
        List<String> fields = new ArrayList<>(RollupKey.DIMENSIONS);
        fields.add("interval");
        KEYWORD_FIELDS = List.copyOf(fields);
    }

    private SearchBodies() {
    }

    /** An aggregation-only search: no hits, no total count. */
    public static ObjectNode search(ObjectNode query, ObjectNode aggs) {
        ObjectNode body = ApiJson.object();
        body.put("size", 0);
        body.put("track_total_hits", false);
        body.set("query", query);
        body.set("aggs", aggs);
        return body;
    }

    /** The rollups of a window's interval whose bucket starts inside {@code [from, to)}, narrowed by the filters. */
    public static ObjectNode windowFilter(TimeWindow window, Instant from, Map<String, List<String>> filters) {
        List<ObjectNode> clauses = new ArrayList<>();
        clauses.add(term("interval", window.interval().wire()));
        ObjectNode range = ApiJson.object();
        range.putObject("range").putObject("bucket_start")
                .put("gte", from.toEpochMilli()).put("lt", window.to().toEpochMilli()).put("format", "epoch_millis");
        clauses.add(range);
        clauses.addAll(dimensionClauses(filters));
        return bool(clauses);
    }

    public static ObjectNode windowFilter(TimeWindow window, Map<String, List<String>> filters) {
        return windowFilter(window, window.from(), filters);
    }

    /** All rollups matching the filters, whatever their time. */
    public static ObjectNode dimensionFilter(Map<String, List<String>> filters) {
        return bool(dimensionClauses(filters));
    }

    private static List<ObjectNode> dimensionClauses(Map<String, List<String>> filters) {
        List<ObjectNode> clauses = new ArrayList<>();
        filters.forEach((field, values) -> clauses.add(terms(field, values)));
        return clauses;
    }

    public static ObjectNode bool(List<ObjectNode> filterClauses) {
        ObjectNode query = ApiJson.object();
        ArrayNode filter = query.putObject("bool").putArray("filter");
        filterClauses.forEach(filter::add);
        return query;
    }

    public static ObjectNode term(String field, String value) {
        ObjectNode term = ApiJson.object();
        term.putObject("term").put(keyword(field), value);
        return term;
    }

    public static ObjectNode terms(String field, List<String> values) {
        ObjectNode terms = ApiJson.object();
        ArrayNode array = terms.putObject("terms").putArray(keyword(field));
        values.forEach(array::add);
        return terms;
    }

    /** A composite aggregation over {@code fields} (terms sources named like the fields), continuing after {@code after}. */
    public static ObjectNode composite(List<String> fields, int size, ObjectNode after) {
        ObjectNode agg = ApiJson.object();
        ObjectNode composite = agg.putObject("composite");
        composite.put("size", size);
        ArrayNode sources = composite.putArray("sources");
        for (String field : fields) {
            sources.addObject().putObject(field).putObject("terms").put("field", field.equals("bucket_start") ? field : keyword(field));
        }
        if (after != null) {
            composite.set("after", after);
        }
        return agg;
    }

    public static ObjectNode sum(String field) {
        ObjectNode agg = ApiJson.object();
        agg.putObject("sum").put("field", field);
        return agg;
    }

    /** A metric aggregation ({@code min}, {@code max}) over {@code bucket_start} or another mapped field. */
    public static ObjectNode metric(String kind, String field) {
        ObjectNode agg = ApiJson.object();
        agg.putObject(kind).put("field", field);
        return agg;
    }

    /**
     * Rollups with at least one event. An episode still open writes a rollup every hour with firing time but no
     * events, for up to the episode max age: such a rollup says the alert kept firing, not that anything happened.
     */
    public static ObjectNode withEvents() {
        ObjectNode query = ApiJson.object();
        query.putObject("range").putObject("events").put("gt", 0);
        return query;
    }

    /** Sub-aggregations restricted to the rollups that match {@code query}. */
    public static ObjectNode filter(ObjectNode query, ObjectNode aggs) {
        ObjectNode agg = ApiJson.object();
        agg.set("filter", query);
        agg.set("aggs", aggs);
        return agg;
    }

    /** A sub-aggregation restricted to rollups of one interval. */
    public static ObjectNode intervalFilter(String interval, ObjectNode aggs) {
        ObjectNode agg = ApiJson.object();
        agg.set("filter", term("interval", interval));
        agg.set("aggs", aggs);
        return agg;
    }

    /** Terms of bucket starts (epoch millis keys), e.g. the months of a service; {@code aggs} may be empty. */
    public static ObjectNode bucketStarts(int size, ObjectNode aggs) {
        ObjectNode agg = ApiJson.object();
        agg.putObject("terms").put("field", "bucket_start").put("size", size);
        if (!aggs.isEmpty()) {
            agg.set("aggs", aggs);
        }
        return agg;
    }

    private static String keyword(String field) {
        if (!KEYWORD_FIELDS.contains(field)) {
            throw new IllegalArgumentException("'" + field + "' is not a rollup dimension; only " + KEYWORD_FIELDS + " reach a query");
        }
        return field;
    }
}
