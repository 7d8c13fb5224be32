package dev.rollcall.query.params;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Which page of a composite aggregation a request wants: its size ({@code limit}), where to continue
 * ({@code cursor}, decoded to an {@code after_key}), the fingerprint that ties cursors to their query, and how many
 * bytes of rows the page may hold.
 */
public record PageRequest(int limit, ObjectNode after, String fingerprint, long maxBytes) {

    /** The most one answer may be as Lambda returns it: its limit is 6 MB (6,291,456 bytes), with room to spare. */
    public static final long MAX_RESPONSE_BYTES = 5_500_000;

    /**
     * The query echo and rows of one page, in bytes as the Lambda response carries them (see PageBudget): what is
     * left of {@link #MAX_RESPONSE_BYTES} after the cursor, sent twice (next_cursor and X-Next-Cursor), and the
     * envelope's status and headers. A page of long names or many metrics ends early and its cursor continues where
     * it stopped.
     */
    public static final long MAX_BYTES = MAX_RESPONSE_BYTES - 2L * CursorCodec.MAX_LENGTH - 4_096;

    /**
     * Reads {@code limit} and {@code cursor}; the cursor must carry exactly the composite source names {@code keys}
     * and have been issued for the same parameters and {@code scope}: the route's name, and whatever else the route
     * resolved besides the parameters (a default taken from the clock).
     */
    public static PageRequest read(QueryParameters parameters, String scope, List<String> keys, int defaultLimit, int maxLimit) {
        int limit = parameters.limit("limit", defaultLimit, maxLimit);
        String fingerprint = parameters.fingerprint(scope);
        ObjectNode after = parameters.text("cursor").map(c -> CursorCodec.decode(c, fingerprint, keys)).orElse(null);
        return new PageRequest(limit, after, fingerprint, MAX_BYTES);
    }

    public boolean first() {
        return after == null;
    }

    /** The cursor of the next page: present when this page came back full and OpenSearch gave an {@code after_key}. */
    public String nextCursor(JsonNode compositeAggregation) {
        JsonNode afterKey = compositeAggregation.path("after_key");
        if (compositeAggregation.path("buckets").size() < limit || !afterKey.isObject()) {
            return null;
        }
        return CursorCodec.encode(fingerprint, afterKey);
    }

    /** The cursor that continues after the composite bucket whose key is {@code bucketKey}. */
    public String cursorAfter(JsonNode bucketKey) {
        return CursorCodec.encode(fingerprint, bucketKey);
    }
}
