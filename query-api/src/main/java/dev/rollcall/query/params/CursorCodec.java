package dev.rollcall.query.params;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;

/**
 * Opaque paging cursors: the composite aggregation's {@code after_key} and the fingerprint of the query that
 * produced it, as base64url JSON. A cursor only continues its own query, and its keys and values are checked
 * before they go back into a request (as JSON values, never as query text).
 */
public final class CursorCodec {

    /**
     * The longest cursor this API issues: base64url of the fingerprint, a bucket start and three group-by values of
     * the longest stored keyword, each character at worst one of JSON's six-character escapes (a control character).
     * Anything longer was not issued here.
     */
    public static final int MAX_LENGTH = base64Length(256 + Dimensions.MAX_GROUP_BY * (64 + 6 * longestGroupValue()));
    private static final String INVALID = "cursor is not one this API issued; pass next_cursor from the previous page unchanged";
    // A cursor is one JSON object as issued; a reader that stops after the first value would take one with more after it.
    private static final ObjectReader ONE_OBJECT = ApiJson.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CursorCodec() {
    }

    public static String encode(String queryFingerprint, JsonNode afterKey) {
        ObjectNode cursor = ApiJson.object();
        cursor.put("q", queryFingerprint);
        cursor.set("after", afterKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ApiJson.bytes(cursor));
    }

    /**
     * The {@code after_key} of {@code cursor}, which must have been issued for {@code queryFingerprint} and have
     * exactly the {@code keys} of the composite sources, each of the type OpenSearch gave it: a string for a
     * dimension, a whole number of epoch milliseconds for the bucket start. Anything else would reach OpenSearch,
     * be refused there, and look like a fault of the API rather than of the cursor.
     */
    public static ObjectNode decode(String cursor, String queryFingerprint, List<String> keys) {
        if (cursor.length() > MAX_LENGTH) {
            throw ApiError.badParameter("cursor", INVALID);
        }
        JsonNode node;
        try {
            node = ONE_OBJECT.readTree(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | JsonProcessingException e) {
            throw ApiError.badParameter("cursor", INVALID);
        }
        if (node == null || !node.isObject() || !node.path("q").isTextual() || !node.path("after").isObject()) {
            throw ApiError.badParameter("cursor", INVALID);
        }
        if (!node.get("q").asText().equals(queryFingerprint)) {
            throw ApiError.badParameter("cursor", "cursor belongs to a different query; repeat the parameters of the request that returned it");
        }
        ObjectNode after = (ObjectNode) node.get("after");
        if (after.size() != keys.size()) {
            throw ApiError.badParameter("cursor", INVALID);
        }
        for (Map.Entry<String, JsonNode> e : after.properties()) {
            if (!keys.contains(e.getKey()) || !ofItsType(e.getKey(), e.getValue())) {
                throw ApiError.badParameter("cursor", INVALID);
            }
        }
        return after;
    }

    private static boolean ofItsType(String key, JsonNode value) {
        return Dimensions.FILTERS.contains(key) ? value.isTextual() : value.isIntegralNumber() && value.canConvertToLong();
    }

    private static int longestGroupValue() {
        return Dimensions.GROUP_BY.stream().mapToInt(Dimensions::maxValueLength).max().orElseThrow();
    }

    private static int base64Length(int bytes) {
        return (bytes * 4 + 2) / 3;
    }
}
