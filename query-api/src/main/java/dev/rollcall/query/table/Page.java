package dev.rollcall.query.table;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.http.ApiResponse;

/**
 * One page of a tabular answer: the query as it was run (dates after widening to whole buckets), the rows, and
 * the cursor of the next page when there is one.
 */
public record Page(ObjectNode query, Table table, String nextCursor) {

    public static final String NEXT_CURSOR_HEADER = "X-Next-Cursor";
    /** CSV's place for the query echo's {@code computed_until}, which a CSV body has no room for. */
    public static final String COMPUTED_UNTIL_HEADER = "X-Computed-Until";
    /** CSV's place for the query echo's {@code from}: the range the rows cover, widened to whole buckets. */
    public static final String FROM_HEADER = "X-Query-From";
    /** CSV's place for the query echo's {@code to} (exclusive), widened to whole buckets. */
    public static final String TO_HEADER = "X-Query-To";
    /**
     * A report's answer depends on the Accept header (JSON or CSV) and changes with every job run: a cache placed in
     * front of the API must neither serve one format for the other nor keep an answer past the next run.
     */
    static final java.util.Map<String, String> NOT_SHARED = java.util.Map.of("Vary", "Accept", "Cache-Control", "private, no-cache");
    /** CSV's place for {@code /v1/oncall}'s {@code collecting_since}: the day collecting began. */
    public static final String COLLECTING_SINCE_HEADER = "X-Collecting-Since";

    /**
     * JSON ({@code query}, {@code columns}, {@code rows} as objects, {@code next_cursor}) or CSV with the cursor,
     * the job's watermark and the range covered in headers.
     */
    public ApiResponse toResponse(boolean csv) {
        if (!csv) {
            ApiResponse response = ApiResponse.json(200, toJson()).withHeaders(NOT_SHARED);
            return nextCursor == null ? response : response.withHeader(NEXT_CURSOR_HEADER, nextCursor);
        }
        ApiResponse response = ApiResponse.csv(CsvFormat.render(table)).withHeaders(NOT_SHARED);
        response = echoed(response, "computed_until", COMPUTED_UNTIL_HEADER);
        response = echoed(response, "from", FROM_HEADER);
        response = echoed(response, "to", TO_HEADER);
        response = echoed(response, "collecting_since", COLLECTING_SINCE_HEADER);
        return nextCursor == null ? response : response.withHeader(NEXT_CURSOR_HEADER, nextCursor);
    }

    private ApiResponse echoed(ApiResponse response, String field, String header) {
        return query.path(field).isTextual() ? response.withHeader(header, query.path(field).asText()) : response;
    }

    public ObjectNode toJson() {
        ObjectNode body = ApiJson.object();
        body.set("query", query);
        ArrayNode columns = body.putArray("columns");
        table.columns().forEach(columns::add);
        ArrayNode rows = body.putArray("rows");
        for (List<Object> row : table.rows()) {
            ObjectNode object = rows.addObject();
            for (int i = 0; i < row.size(); i++) {
                put(object, table.columns().get(i), row.get(i));
            }
        }
        if (nextCursor == null) {
            body.putNull("next_cursor");
        } else {
            body.put("next_cursor", nextCursor);
        }
        return body;
    }

    private static void put(ObjectNode object, String name, Object cell) {
        switch (cell) {
            case null -> object.putNull(name);
            case Long l -> object.put(name, l);
            case Boolean b -> object.put(name, b);
            case Integer i -> object.put(name, i);
            case Double d -> {
                if (d.isNaN() || d.isInfinite()) {
                    object.putNull(name);
                } else {
                    object.put(name, d);
                }
            }
            case Instant t -> object.put(name, t.toString());
            default -> object.put(name, cell.toString());
        }
    }
}
