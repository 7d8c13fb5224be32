package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.query.http.ApiError;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.CursorCodec;
import dev.rollcall.query.params.Dimensions;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.params.QueryParameters;
import dev.rollcall.query.reports.OnCallReport;

class CursorCodecTest {

    private static final List<String> KEYS = List.of("bucket_start", "service");

    @Test
    void aCursorIsOpaqueUrlSafeAndRoundTripsItsAfterKey() {
        ObjectNode after = ApiJson.object().put("bucket_start", 1767225600000L).put("service", "checkout/π \"quoted\"");
        String cursor = CursorCodec.encode("abc123", after);
        assertThat(cursor).matches("[A-Za-z0-9_-]+").doesNotContain("checkout");
        assertThat(CursorCodec.decode(cursor, "abc123", KEYS)).isEqualTo(after);
    }

    @Test
    void aCursorOnlyContinuesItsOwnQuery() {
        String cursor = CursorCodec.encode("abc123", ApiJson.object().put("bucket_start", 1L).put("service", "a"));
        assertThatThrownBy(() -> CursorCodec.decode(cursor, "other", KEYS)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.getMessage()).isEqualTo("cursor belongs to a different query; repeat the parameters of the request that returned it"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "!!!", "e30", "W10", // not base64, {}, []
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1}}", // a key missing
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":\"a\",\"x\":1}}", // a key too many
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"script\":\"a\"}}", // a key not of this query
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":{\"gte\":1},\"service\":\"a\"}}", // an object where a value goes
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1.5,\"service\":\"a\"}}",
            "{\"q\":1,\"after\":{}}",
            // each key of the type OpenSearch gave it: a bucket start is epoch millis, a dimension a string
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":\"abc\",\"service\":\"a\"}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":\"2026-01-02T00:00:00Z\",\"service\":\"a\"}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":123456789012345678901234567890,\"service\":\"a\"}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":true,\"service\":\"a\"}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":42}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":{\"a\":1}}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":[\"a\"]}}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":null}}",
            // one JSON object and nothing after it, as issued: a reader that stops after the first value took these
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":\"a\"}}junk",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":\"a\"}}]",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":\"a\"}} {}",
            "{\"q\":\"abc123\",\"after\":{\"bucket_start\":1,\"service\":\"a\"}}1"})
    void tamperedCursorsAre400(String text) {
        String cursor = text.startsWith("{") ? Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) : text;
        assertThatThrownBy(() -> CursorCodec.decode(cursor, "abc123", KEYS)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.parameter()).isEqualTo("cursor");
            assertThat(e.getMessage()).isEqualTo("cursor is not one this API issued; pass next_cursor from the previous page unchanged");
        });
    }

    @Test
    void theLongestKeysTheApiCanIssueMakeACursorItTakesBack() {
        // Three group-by values of the longest stored keyword, each character a control character: six bytes of JSON.
        ObjectNode after = ApiJson.object().put("bucket_start", Long.MAX_VALUE);
        for (String field : List.of("service", "account", "environment")) {
            after.put(field, "\u0001".repeat(Dimensions.maxValueLength(field)));
        }
        List<String> keys = List.of("bucket_start", "service", "account", "environment");
        String cursor = CursorCodec.encode("abc123", after);
        assertThat(cursor.length()).isGreaterThan(4096).isLessThanOrEqualTo(CursorCodec.MAX_LENGTH);
        assertThat(CursorCodec.decode(cursor, "abc123", keys)).isEqualTo(after);

        String tooLong = cursor + "A".repeat(CursorCodec.MAX_LENGTH - cursor.length() + 1);
        assertThatThrownBy(() -> CursorCodec.decode(tooLong, "abc123", keys)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.parameter()).isEqualTo("cursor"));
    }

    @Test
    void anOnCallCursorOfTheClocksDefaultWindowDoesNotContinueTheNextMonthsWindow() {
        OnCallReport february = new OnCallReport(QueryLimits.defaults(), QueryApiFixtures.CLOCK);
        OnCallReport march = new OnCallReport(QueryLimits.defaults(), Clock.fixed(Instant.parse("2026-03-02T00:00:00Z"), ZoneOffset.UTC));
        String cursor = CursorCodec.encode(february.parse(QueryParameters.of(Map.of(), OnCallReport.PARAMETERS)).page().fingerprint(),
                ApiJson.object().put("service", "checkout"));
        QueryParameters next = QueryParameters.of(Map.of("cursor", cursor), OnCallReport.PARAMETERS);

        assertThat(february.parse(next).page().after()).isEqualTo(ApiJson.object().put("service", "checkout"));
        assertThatThrownBy(() -> march.parse(next)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.parameter()).isEqualTo("cursor");
            assertThat(e.getMessage()).isEqualTo("cursor belongs to a different query; repeat the parameters of the request that returned it");
        });
    }

    @Test
    void theQueryFingerprintIgnoresPagingAndParameterOrder() {
        List<String> allowed = List.of("from", "to", "limit", "cursor", "service");
        String a = QueryParameters.of(java.util.Map.of("from", "2026-01-01", "to", "2026-02-01", "limit", "5"), allowed).fingerprint("rollups");
        String b = QueryParameters.of(java.util.Map.of("to", "2026-02-01", "from", "2026-01-01", "cursor", "x"), allowed).fingerprint("rollups");
        String c = QueryParameters.of(java.util.Map.of("to", "2026-02-01", "from", "2026-01-01", "service", "a"), allowed).fingerprint("rollups");
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).isNotEqualTo(QueryParameters.of(java.util.Map.of("from", "2026-01-01", "to", "2026-02-01"), allowed).fingerprint("noise"));
    }
}
