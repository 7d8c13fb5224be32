package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.params.CursorCodec;

/**
 * Every way a request can be refused before it reaches OpenSearch, through the handler with real HTTP API events:
 * status, the parameter named, and the whole message. None of these is ever a 500.
 */
class QueryValidationTest {

    private static final QueryApiHandler HANDLER = QueryApiFixtures.withoutStore(new RecordingAggregationJobs());
    private static final String JAN = "from=2026-01-01&to=2026-02-01";
    private static final String NOT_A_DATE = " is not a date: use 2026-01-01 (a UTC day), 2026-01 (a UTC month) or an ISO-8601 time with a zone, e.g. 2026-01-31T12:00:00Z";
    private static final String REPORT_FILTERS = "service, source, urgency, severity, account, environment, name, fingerprint";
    private static final String METRICS = "events, firing, resolved, info, pages, interruptions, episodes, resolve_ms_sum, firing_ms, "
            + "duplicates, correlated, flaps, transients, standing, ignored, classified, actionable, distinct_alerts, resolve_ms_mean, resolve_ms_p50, resolve_ms_p90, all";
    private static final String EMPTY_SERVICE = "service has an empty value: give one or more values separated by commas, or leave service out to match every value";
    private static final String MALFORMED_ESCAPE = " has a malformed %-escape: a % starts two hex digits of UTF-8, e.g. %3A for ':'";
    private static final String INTERVAL_NOT_TEXT = "interval must be a string, one of: hour, day, month, all";
    private static final String FOREIGN_CURSOR = CursorCodec.encode("0123456789abcdef", ApiJson.object().put("bucket_start", 1L));

    static Stream<Arguments> badQueries() {
        return Stream.of(
                // dates and ranges
                bad("/v1/rollups", "", "from", "from is required, e.g. from=2026-01-01"),
                bad("/v1/rollups", "from=2026-01-01", "to", "to is required, e.g. to=2026-01-01"),
                bad("/v1/rollups", "from=yesterday&to=2026-01-02", "from", "from 'yesterday'" + NOT_A_DATE),
                bad("/v1/rollups", "from=2026-02-30&to=2026-03-02", "from", "from '2026-02-30'" + NOT_A_DATE),
                bad("/v1/rollups", "from=2026-13&to=2027-01", "from", "from '2026-13'" + NOT_A_DATE),
                bad("/v1/rollups", "from=2026-01-01T10:00:00&to=2026-01-02", "from", "from '2026-01-01T10:00:00'" + NOT_A_DATE
                        + "; this time has no zone: add Z for UTC or its offset, e.g. 2026-01-01T10:00:00Z"),
                bad("/v1/rollups", "from=2026-01-01T10:00:00+02:00&to=2026-01-02", "from", "from '2026-01-01T10:00:00 02:00'" + NOT_A_DATE
                        + "; send the '+' of an offset as %2B"),
                bad("/v1/rollups", "from=2026-01-01&to=1767225600000", "to", "to '1767225600000'" + NOT_A_DATE),
                // API Gateway joins a parameter given twice with a comma: the message names that, not a bad date
                bad("/v1/rollups", "from=2026-10-14&to=2026-10-15&from=2026-10-13", "from",
                        "from takes one value, got 2: '2026-10-14', '2026-10-13' (given twice, or with a comma)"),
                bad("/v1/rollups", JAN + "&interval=day,hour", "interval", "interval takes one value, got 2: 'day', 'hour' (given twice, or with a comma)"),
                bad("/v1/rollups", JAN + "&limit=5&limit=6", "limit", "limit takes one value, got 2: '5', '6' (given twice, or with a comma)"),
                bad("/v1/rollups", "from=1969-12-31&to=2026-01-02", "from", "from '1969-12-31' is outside 1970-01-01 to 8999-12-31"),
                bad("/v1/rollups", "from=2026-02-01&to=2026-01-01", "from", "from (2026-02-01T00:00:00Z) must be before to (2026-01-01T00:00:00Z)"),
                bad("/v1/rollups", "from=2026-01-01T00:00:00%2B02:00&to=2025-12-31T22:00:00Z", "from",
                        "from (2025-12-31T22:00:00Z) must be before to (2025-12-31T22:00:00Z)"),
                bad("/v1/rollups", "from=2026-01-01&to=2026-06-01&interval=hour", "to",
                        "from 2026-01-01T00:00:00Z to 2026-06-01T00:00:00Z is 3624 hour buckets, more than the 2400 allowed for interval=hour: shorten the range or use a coarser interval"),
                bad("/v1/rollups", "from=2020-01-01&to=2026-01-01", "to",
                        "from 2020-01-01T00:00:00Z to 2026-01-01T00:00:00Z is 2192 day buckets, more than the 1830 allowed for interval=day: shorten the range or use a coarser interval"),
                bad("/v1/rollups", "from=2000-01&to=2026-01&interval=month", "to",
                        "from 2000-01-01T00:00:00Z to 2026-01-01T00:00:00Z is 312 month buckets, more than the 120 allowed for interval=month: shorten the range"),
                bad("/v1/rollups", JAN + "&interval=week", "interval", "interval 'week' is not one of: hour, day, month"),
                // group_by, metrics, filters
                bad("/v1/rollups", JAN + "&group_by=team", "group_by", "group_by 'team' is not one of: service, source, urgency, severity, account, environment, name"),
                bad("/v1/rollups", JAN + "&group_by=fingerprint", "group_by", "group_by 'fingerprint' is not one of: service, source, urgency, severity, account, environment, name"),
                bad("/v1/rollups", JAN + "&group_by=service,source,urgency,severity", "group_by", "group_by takes at most 3 fields, got 4"),
                bad("/v1/rollups", JAN + "&group_by=service&group_by=service", "group_by", "group_by lists 'service' more than once"),
                bad("/v1/rollups", JAN + "&metrics=events,mttr", "metrics", "metrics 'mttr' is not one of: " + METRICS),
                bad("/v1/rollups", JAN + "&service=" + String.join(",", Collections.nCopies(101, "s")), "service", "service takes at most 100 values, got 101"),
                bad("/v1/rollups", JAN + "&name=" + "n".repeat(1025), "name", "name has a value of 1025 characters, more than the 1024 allowed (counted as sent, outer spaces included)"),
                bad("/v1/rollups", JAN + "&service=" + "s".repeat(8192), "service", "service has a value of 8192 characters, more than the 8191 allowed (counted as sent, outer spaces included)"),
                bad("/v1/rollups", JAN + "&fingerprint=" + "f".repeat(8192), "fingerprint", "fingerprint has a value of 8192 characters, more than the 8191 allowed (counted as sent, outer spaces included)"),
                bad("/v1/services", "service=" + "%20".repeat(9_000) + "a", "service", "service has a value of 9001 characters, more than the 8191 allowed (counted as sent, outer spaces included)"),
                // an empty filter value would widen the answer to every value
                bad("/v1/rollups", JAN + "&service=", "service", EMPTY_SERVICE),
                bad("/v1/rollups", JAN + "&service=,", "service", EMPTY_SERVICE),
                bad("/v1/rollups", JAN + "&service=checkout,,payments", "service", EMPTY_SERVICE),
                bad("/v1/rollups", JAN + "&service=checkout&service=", "service", EMPTY_SERVICE),
                bad("/v1/alerts/top", JAN + "&environment=%20", "environment",
                        "environment has an empty value: give one or more values separated by commas, or leave environment out to match every value"),
                bad("/v1/services", "name=", "name", "name has an empty value: give one or more values separated by commas, or leave name out to match every value"),
                // paging
                bad("/v1/rollups", JAN + "&limit=0", "limit", "limit '0' must be a whole number from 1 to 10000"),
                bad("/v1/rollups", JAN + "&limit=ten", "limit", "limit 'ten' must be a whole number from 1 to 10000"),
                bad("/v1/rollups", JAN + "&limit=20000", "limit", "limit 20000 is more than 10000, the most one request of this route answers"),
                // ASCII digits only: Long.parseLong alone took a sign and other scripts' digits
                bad("/v1/rollups", JAN + "&limit=%2B5", "limit", "limit '+5' must be a whole number from 1 to 10000"),
                bad("/v1/rollups", JAN + "&limit=%D9%A5", "limit", "limit '\u0665' must be a whole number from 1 to 10000"),
                // closed sets: any case matches, anything else is named rather than answered with nothing
                bad("/v1/rollups", JAN + "&urgency=high,urgent", "urgency", "urgency 'urgent' is not one of: high, low, ignore, unknown"),
                bad("/v1/noise", JAN + "&severity=SEV1", "severity", "severity 'SEV1' is not one of: critical, high, medium, low, info, unknown"),
                // long values are cut where an error repeats them, and a date is short before it is parsed
                bad("/v1/rollups", "from=" + "2".repeat(65) + "&to=2026-01-02", "from", "from '" + "2".repeat(65)
                        + "' is not a date: a date is at most 64 characters, e.g. 2026-01-01 or 2026-01-31T12:00:00Z"),
                bad("/v1/rollups", JAN + "&" + "p".repeat(150) + "=1", "p".repeat(100) + "…",
                        "unknown parameter '" + "p".repeat(100) + "…' (150 characters); allowed: from, to, interval, group_by, metrics, limit, cursor, " + REPORT_FILTERS),
                bad("/v1/rollups", JAN + "&cursor=not*base64", "cursor", "cursor is not one this API issued; pass next_cursor from the previous page unchanged"),
                bad("/v1/rollups", JAN + "&cursor=e30", "cursor", "cursor is not one this API issued; pass next_cursor from the previous page unchanged"),
                bad("/v1/rollups", JAN + "&cursor=" + FOREIGN_CURSOR, "cursor", "cursor belongs to a different query; repeat the parameters of the request that returned it"),
                // unknown parameters
                bad("/v1/rollups", JAN + "&groupby=service", "groupby", "unknown parameter 'groupby'; allowed: from, to, interval, group_by, metrics, limit, cursor, " + REPORT_FILTERS),
                bad("/v1/rollups", JAN + "&From=2026-01-01", "From", "unknown parameter 'From'; allowed: from, to, interval, group_by, metrics, limit, cursor, " + REPORT_FILTERS),
                // top alerts
                bad("/v1/alerts/top", JAN + "&by=noise", "by", "by 'noise' is not one of: events, pages, flaps, duplicates, correlated, firing_time"),
                bad("/v1/alerts/top", JAN + "&limit=101", "limit", "limit 101 is more than 100, the most one request of this route answers"),
                bad("/v1/alerts/top", JAN + "&cursor=abc", "cursor", "unknown parameter 'cursor'; allowed: from, to, interval, by, limit, " + REPORT_FILTERS),
                bad("/v1/alerts/top", "from=2026-01-01T01:00:00Z&to=2026-06-01", "to",
                        "from 2026-01-01T01:00:00Z to 2026-06-01T00:00:00Z is 3623 hour buckets, more than the 2400 allowed for interval=hour: shorten the range or use a coarser interval"),
                // on-call
                bad("/v1/oncall", "from=2026-03&to=2026-01", "from", "from (2026-03-01T00:00:00Z) must be before to (2026-01-01T00:00:00Z)"),
                // /v1/oncall takes no interval, and without to its range ends with the clock's month: the message names
                // the end the client sent and says how many months one request may span
                bad("/v1/oncall", "from=2000-01&to=2026-01", "to",
                        "from 2000-01-01T00:00:00Z to 2026-01-01T00:00:00Z is 312 months, more than the 120 one request may span: shorten the range"),
                bad("/v1/oncall", "from=2010-01", "from",
                        "from 2010-01-01T00:00:00Z to 2026-03-01T00:00:00Z (without to, the end of the current month) is 194 months, "
                                + "more than the 120 one request may span: send a later from, or a to at most 120 months after it"),
                bad("/v1/oncall", "from=2026-03", "from", "from (2026-03-01T00:00:00Z) must be before to (2026-03-01T00:00:00Z, the end of the current month when to is not sent)"),
                bad("/v1/oncall", "limit=201", "limit", "limit 201 is more than 200, the most one request of this route answers"),
                bad("/v1/oncall", "interval=day", "interval", "unknown parameter 'interval'; allowed: from, to, limit, cursor, " + REPORT_FILTERS),
                // noise, services, health
                bad("/v1/noise", "to=2026-02-01", "from", "from is required, e.g. from=2026-01-01"),
                bad("/v1/noise", JAN + "&interval=year", "interval", "interval 'year' is not one of: hour, day, month"),
                bad("/v1/services", "from=2026-01-01", "from", "unknown parameter 'from'; allowed: limit, cursor, " + REPORT_FILTERS),
                bad("/v1/services", "limit=-5", "limit", "limit '-5' must be a whole number from 1 to 10000"),
                bad("/v1/health", "verbose=1", "verbose", "unknown parameter 'verbose'; allowed: none"),
                bad("/v1/openapi.json", "format=yaml", "format", "unknown parameter 'format'; allowed: none"),
                bad("/v1/jobs/abc", "verbose=1", "verbose", "unknown parameter 'verbose'; allowed: none"),
                bad("/v1/jobs/bad!id", "", "id", "id 'bad!id' is not a job id: 1 to 128 letters, digits, '-', '_' or ':'"),
                bad("/v1/jobs/abc%zz", "", "id", "id 'abc%zz' has a malformed %-escape: a % starts two hex digits of UTF-8, e.g. %3A for ':'"),
                // escapes of bytes that are not UTF-8 (a lone byte, an overlong '/', an encoded surrogate) were read
                // as U+FFFD and answered; now any parameter, like a path value, names them
                bad("/v1/services", "service=%FF", "service", "service '%FF'" + MALFORMED_ESCAPE),
                bad("/v1/services", "service=a%C0%AF", "service", "service 'a%C0%AF'" + MALFORMED_ESCAPE),
                bad("/v1/services", "service=ok,%ED%A0%80", "service", "service '%ED%A0%80'" + MALFORMED_ESCAPE),
                bad("/v1/rollups", "from=2026-01-01%FF&to=2026-02-01", "from", "from '2026-01-01%FF'" + MALFORMED_ESCAPE),
                bad("/v1/rollups", "from=2026-01-01&to=%C0%AF", "to", "to '%C0%AF'" + MALFORMED_ESCAPE),
                bad("/v1/rollups", JAN + "&cursor=%ED%A0%80", "cursor", "cursor '%ED%A0%80'" + MALFORMED_ESCAPE),
                bad("/v1/services", "servic%FF=a", "query", "query 'servic%FF'" + MALFORMED_ESCAPE),
                bad("/v1/services", "service=" + "s".repeat(200) + "%FF", "service", "service '" + "s".repeat(100) + "…' (203 characters)" + MALFORMED_ESCAPE),
                bad("/v1/jobs/" + "j".repeat(5000), "", "id",
                        "id '" + "j".repeat(100) + "…' (5000 characters) is not a job id: 1 to 128 letters, digits, '-', '_' or ':'"));
    }

    /** Invoked by hand with a JSON null: a 400 like any request the API cannot read, not a failure. */
    @Test
    void aNullEventIsA400() {
        APIGatewayV2HTTPResponse response = HANDLER.handleRequest(null, dev.rollcall.servers.LocalLambdaContext.withRequestId("req-null"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(QueryApiFixtures.json(response).path("message").asText()).contains("HTTP API events");
    }

    private static Arguments bad(String path, String query, String parameter, String message) {
        return Arguments.of(path, query, parameter, message);
    }

    @ParameterizedTest(name = "{0}?{1} -> {2}")
    @MethodSource("badQueries")
    void badQueriesAreA400NamingTheParameter(String path, String query, String parameter, String message) {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(HANDLER, HttpApiEvents.get(path, query));
        assertError(response, 400, parameter, message);
    }

    static Stream<Arguments> badJobBodies() {
        String example = "{\"from\":\"2026-01-01\",\"to\":\"2026-02-01\",\"interval\":\"all\"}";
        String send = "; send an object such as " + example;
        return Stream.of(
                bad("/v1/jobs", null, "body", "body is required: a JSON object such as " + example),
                bad("/v1/jobs", "[1,2]", "body", "body must be a JSON object such as " + example),
                bad("/v1/jobs", "\"2026-01-01\"", "body", "body must be a JSON object such as " + example),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"priority\":1}", "priority", "unknown parameter 'priority'; allowed: from, to, interval"),
                bad("/v1/jobs", "{\"to\":\"2026-01-02\"}", "from", "from is required, e.g. " + example),
                bad("/v1/jobs", "{\"from\":\"2026-01-02\"}", "to", "to is required, e.g. " + example),
                bad("/v1/jobs", "{\"from\":20260101,\"to\":\"2026-01-02\"}", "from", "from must be a string such as \"2026-01-01\""),
                bad("/v1/jobs", "{\"from\":\"last week\",\"to\":\"2026-01-02\"}", "from", "from 'last week'" + NOT_A_DATE),
                bad("/v1/jobs", "{\"from\":\"2026-01-02\",\"to\":\"2026-01-01\"}", "from", "from (2026-01-02T00:00:00Z) must be before to (2026-01-01T00:00:00Z)"),
                bad("/v1/jobs", "{\"from\":\"2000-01-01\",\"to\":\"2026-01-01\"}", "to",
                        "from 2000-01-01T00:00:00Z to 2026-01-01T00:00:00Z is 9497 days; one job covers at most 3660 days: submit several jobs"),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":\"week\"}", "interval", "interval 'week' is not one of: hour, day, month, all"),
                // one reading of the body only: no second value after it, no field twice
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"} {\"to\":\"2026-02-01\"}", "body",
                        "body has more after its JSON object; send one object such as " + example),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}\n[]", "body",
                        "body has more after its JSON object; send one object such as " + example),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"to\":\"2026-01-03\"}", "body",
                        "body is not valid JSON: field 'to' is given twice at line 1, column 44; send an object such as " + example),
                // a field that is not a string is named as such, not read as the empty text Jackson's asText() makes of it
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":{\"a\":1}}", "interval", INTERVAL_NOT_TEXT),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":[\"day\"]}", "interval", INTERVAL_NOT_TEXT),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":1}", "interval", INTERVAL_NOT_TEXT),
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\",\"interval\":true}", "interval", INTERVAL_NOT_TEXT),
                bad("/v1/jobs", "{\"from\":{\"a\":1},\"to\":\"2026-11-02\"}", "from", "from must be a string such as \"2026-01-01\""),
                bad("/v1/jobs", "{\"from\":\"2026-11-01\",\"to\":[\"2026-11-02\"]}", "to", "to must be a string such as \"2026-01-01\""),
                bad("/v1/jobs", "{\"from\":\"2026-11-01\",\"to\":false}", "to", "to must be a string such as \"2026-01-01\""),
                // what is wrong with a body Jackson cannot read, in plain words and with where, never Jackson's settings
                bad("/v1/jobs", "{\"from\":\"2026-11-01\"", "body",
                        "body is not valid JSON: unexpected end of input at line 1, column 21" + send),
                bad("/v1/jobs", "{\"from\": ", "body",
                        "body is not valid JSON: unexpected end of input at line 1, column 10" + send),
                bad("/v1/jobs", "{\n  \"from\": \"2026-11-01\",\n  to: 1}", "body",
                        "body is not valid JSON: syntax error at line 3, column 3" + send),
                bad("/v1/jobs", "[".repeat(1_500), "body", "body nests deeper than 1000 levels" + send),
                bad("/v1/jobs", "{\"from\":" + "1".repeat(1_500) + "}", "body", "body has a number of more than 1000 digits" + send),
                // a leading byte order mark is read past, as the webhooks do: the body's own fault is named
                bad("/v1/jobs", "\uFEFF{\"from\":\"2026-01-02\"}", "to", "to is required, e.g. " + example),
                bad("/v1/jobs", "\uFEFF", "body", "body is required: a JSON object such as " + example),
                // a job request is small: a long body is refused unread, a long date before it is parsed
                bad("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}" + " ".repeat(5_000), "body",
                        "body is 5039 characters; a job request is at most 4096, an object such as " + example),
                bad("/v1/jobs", "{\"from\":\"" + "T".repeat(3_000) + "\",\"to\":\"2026-01-02\"}", "from",
                        "from '" + "T".repeat(100) + "…' (3000 characters) is not a date: a date is at most 64 characters, e.g. 2026-01-01 or 2026-01-31T12:00:00Z"));
    }

    @ParameterizedTest(name = "POST {1} -> {2}")
    @MethodSource("badJobBodies")
    void badJobBodiesAreA400NamingTheField(String path, String body, String parameter, String message) {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(HANDLER, HttpApiEvents.post(path, body));
        assertError(response, 400, parameter, message);
    }

    /**
     * A date of a few hundred thousand T's once took a backtracking pattern minutes, past the function's timeout (a
     * bare 500 from API Gateway); a job body has no size limit of API Gateway's. It is now a 400 at once.
     */
    @org.junit.jupiter.api.Test
    void aHugeDateInAJobBodyIsA400AtOnce() {
        String body = "{\"from\":\"" + "T".repeat(300_000) + " 00:00\",\"to\":\"2026-01-02\"}";

        APIGatewayV2HTTPResponse response = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                () -> QueryApiFixtures.call(HANDLER, HttpApiEvents.post("/v1/jobs", body)));

        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getBody().length()).as("the value is not repeated whole").isLessThan(1_000);
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () ->
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.rollcall.query.params.DateParameter.parse("from",
                        "T".repeat(300_000) + " 00:00")).isInstanceOf(dev.rollcall.query.http.ApiError.class));
    }

    /** A 200 names its request id as an error does, so that its log lines can be found too. */
    @org.junit.jupiter.api.Test
    void everyAnswerNamesItsRequestId() {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(HANDLER, HttpApiEvents.get("/v1/openapi.json"));
        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders().get(QueryApi.REQUEST_ID_HEADER)).startsWith("req-");
    }

    @org.junit.jupiter.api.Test
    void jobQueryParametersAreRefusedToo() {
        APIGatewayV2HTTPEvent event = HttpApiEvents.request("POST", "/v1/jobs", HttpApiEvents.query("dry_run=1"), Map.of(), "{}");
        assertError(QueryApiFixtures.call(HANDLER, event), 400, "dry_run",
                "unknown parameter 'dry_run'; allowed: none (POST /v1/jobs takes its fields as a JSON body)");
    }

    static Stream<Arguments> wrongRoutes() {
        return Stream.of(
                Arguments.of("GET", "/v1/nothing", 404, null, "no route GET /v1/nothing; the routes are described at /v1/openapi.json"),
                Arguments.of("GET", "/v2/rollups", 404, null, "no route GET /v2/rollups; the routes are described at /v1/openapi.json"),
                Arguments.of("GET", "/", 404, null, "no route GET /; the routes are described at /v1/openapi.json"),
                Arguments.of("GET", "/v1/jobs/a/b", 404, null, "no route GET /v1/jobs/a/b; the routes are described at /v1/openapi.json"),
                // what misses the webhook route reaches the query function, whose description has no webhooks
                Arguments.of("POST", "/v1/events", 404, null,
                        "no route POST /v1/events; webhooks are POST /v1/events/{source}, e.g. /v1/events/alertmanager (see ingest-lambda/README.md)"),
                Arguments.of("GET", "/v1/events/sentry", 404, null,
                        "no route GET /v1/events/sentry; webhooks are POST /v1/events/{source}, e.g. /v1/events/alertmanager (see ingest-lambda/README.md)"),
                Arguments.of("DELETE", "/v1/rollups", 405, "GET, HEAD", "DELETE is not allowed on /v1/rollups; allowed: GET, HEAD"),
                Arguments.of("POST", "/v1/health", 405, "GET, HEAD", "POST is not allowed on /v1/health; allowed: GET, HEAD"),
                Arguments.of("OPTIONS", "/v1/openapi.json", 405, "GET, HEAD", "OPTIONS is not allowed on /v1/openapi.json; allowed: GET, HEAD"),
                Arguments.of("DELETE", "/v1/jobs", 405, "GET, HEAD, POST", "DELETE is not allowed on /v1/jobs; allowed: GET, HEAD, POST"),
                Arguments.of("PUT", "/v1/jobs/abc", 405, "GET, HEAD", "PUT is not allowed on /v1/jobs/abc; allowed: GET, HEAD"),
                // a huge path or method is cut as a parameter value is, rather than echoed as a 100 KB answer
                Arguments.of("GET", "/v1/" + "x".repeat(100_000), 404, null,
                        "no route GET /v1/" + "x".repeat(96) + "… (100004 characters); the routes are described at /v1/openapi.json"),
                Arguments.of("GET", "/v1/events/" + "x".repeat(100_000), 404, null, "no route GET /v1/events/" + "x".repeat(89)
                        + "… (100011 characters); webhooks are POST /v1/events/{source}, e.g. /v1/events/alertmanager (see ingest-lambda/README.md)"),
                Arguments.of("M".repeat(100_000), "/v1/nothing", 404, null,
                        "no route " + "M".repeat(100) + "… (100000 characters) /v1/nothing; the routes are described at /v1/openapi.json"),
                Arguments.of("M".repeat(100_000), "/v1/rollups", 405, "GET, HEAD",
                        "M".repeat(100) + "… (100000 characters) is not allowed on /v1/rollups; allowed: GET, HEAD"),
                Arguments.of("PUT", "/v1/jobs/" + "j".repeat(100_000), 405, "GET, HEAD",
                        "PUT is not allowed on /v1/jobs/" + "j".repeat(91) + "… (100009 characters); allowed: GET, HEAD"));
    }

    @ParameterizedTest(name = "{index}: {2}")
    @MethodSource("wrongRoutes")
    void unknownRoutesAre404AndWrongMethods405WithAllow(String method, String path, int status, String allow, String message) {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(HANDLER, HttpApiEvents.request(method, path, Map.of(), Map.of(), null));
        assertError(response, status, null, message);
        assertThat(QueryApiFixtures.header(response, "Allow")).isEqualTo(allow);
    }

    @org.junit.jupiter.api.Test
    void headIsAnsweredLikeGetWithoutABody() {
        APIGatewayV2HTTPResponse get = QueryApiFixtures.call(HANDLER, HttpApiEvents.get("/v1/openapi.json"));
        APIGatewayV2HTTPResponse head = QueryApiFixtures.call(HANDLER, HttpApiEvents.request("HEAD", "/v1/openapi.json", "", Map.of(), null));
        assertThat(head.getStatusCode()).isEqualTo(200);
        // Each names its own request id.
        assertThat(head.getHeaders()).usingRecursiveComparison().ignoringFields(QueryApi.REQUEST_ID_HEADER).isEqualTo(get.getHeaders());
        assertThat(head.getHeaders()).containsKey(QueryApi.REQUEST_ID_HEADER);
        assertThat(head.getBody()).isEmpty();

        APIGatewayV2HTTPResponse bad = QueryApiFixtures.call(HANDLER, HttpApiEvents.request("HEAD", "/v1/rollups", "from=2026-01-01", Map.of(), null));
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(bad.getHeaders()).containsEntry("Content-Type", "application/json");
        assertThat(bad.getBody()).isEmpty();

        APIGatewayV2HTTPResponse wrong = QueryApiFixtures.call(HANDLER, HttpApiEvents.request("HEAD", "/v1/jobs/a/b", "", Map.of(), null));
        assertThat(wrong.getStatusCode()).isEqualTo(404);
        assertThat(wrong.getBody()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aTrailingSlashIsTheSameRoute() {
        APIGatewayV2HTTPResponse response = QueryApiFixtures.call(HANDLER, HttpApiEvents.get("/v1/rollups/", "from=2026-01-01"));
        assertError(response, 400, "to", "to is required, e.g. to=2026-01-01");
    }

    static void assertError(APIGatewayV2HTTPResponse response, int status, String parameter, String message) {
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
        JsonNode error = QueryApiFixtures.json(response);
        assertThat(error.path("status").asInt()).isEqualTo(status);
        assertThat(error.path("message").asText()).isEqualTo(message);
        if (parameter == null) {
            assertThat(error.has("parameter")).isFalse();
        } else {
            assertThat(error.path("parameter").asText()).isEqualTo(parameter);
        }
        assertThat(error.path("request_id").asText()).startsWith("req-");
        assertThat(response.getHeaders()).containsEntry(QueryApi.REQUEST_ID_HEADER, error.path("request_id").asText());
        if (message.contains("is not one of")) {
            assertThat(error.path("allowed")).isNotEmpty();
            List<String> allowed = new java.util.ArrayList<>();
            error.path("allowed").forEach(v -> allowed.add(v.asText()));
            assertThat(message).endsWith(String.join(", ", allowed));
        }
    }
}
