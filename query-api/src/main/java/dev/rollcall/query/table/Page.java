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

    /**
     * JSON ({@code query}, {@code columns}, {@code rows} as objects, {@code next_cursor}) or CSV with the cursor and
     * the job's watermark in headers.
     */
    public ApiResponse toResponse(boolean csv) {
        ApiResponse response = csv ? ApiResponse.csv(CsvFormat.render(table)) : ApiResponse.json(200, toJson());
        if (csv && query.path("computed_until").isTextual()) {
            response = response.withHeader(COMPUTED_UNTIL_HEADER, query.path("computed_until").asText());
        }
        return nextCursor == null ? response : response.withHeader(NEXT_CURSOR_HEADER, nextCursor);
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
