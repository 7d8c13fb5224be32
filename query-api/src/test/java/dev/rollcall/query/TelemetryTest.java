package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.telemetry.RequestLog;
import dev.rollcall.servers.LocalLambdaContext;

/** Structured logs (request id on every line, no stack trace for expected errors) and the EMF latency metric per route. */
class TelemetryTest {

    private final List<String> metricLines = Collections.synchronizedList(new ArrayList<>());
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void restoreLogs() {
        logs.close();
    }

    /** A request ended by an Error skips its close; the next one on the same (reused) thread starts clean. */
    @Test
    void aRequestStartsWithoutTheFieldsOfOneThatNeverClosed() {
        RequestLog.open("first");
        RequestLog.route("rollups");
        RequestLog.cache("hit");

        RequestLog.open("second");

        assertThat(RequestLog.cacheOutcome()).isNull();
        assertThat(ThreadContext.get("route")).isNull();
        assertThat(ThreadContext.get("request_id")).isEqualTo("second");
        RequestLog.close();
    }

    @Test
    void everyLineCarriesTheRequestIdAndInputErrorsHaveNoStackTrace() {
        QueryApiHandler handler = QueryApiFixtures.handler(null, null, metricLines::add);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpApiEvents.get("/v1/rollups", "from=2026-02-01&to=2026-01-01"),
                LocalLambdaContext.withRequestId("req-log-1"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        List<JsonNode> lines = logs.lines();
        assertThat(lines).hasSize(2).allSatisfy(line -> {
            assertThat(line.path("request_id").asText()).isEqualTo("req-log-1");
            // API Gateway's id too, which its access log (where the query alarms count) names.
            assertThat(line.path("api_request_id").asText()).isEqualTo("apigw-" + Integer.toHexString("/v1/rollups".hashCode()));
            assertThat(line.path("route").asText()).isEqualTo("rollups");
            assertThat(line.has("stack_trace")).isFalse();
            assertThat(line.path("level").asText()).isEqualTo("INFO");
        });
        assertThat(lines.get(0).path("message").asText()).isEqualTo("400 invalid_parameter: from (2026-02-01T00:00:00Z) must be before to (2026-01-01T00:00:00Z)");
        JsonNode access = lines.get(1).path("message");
        assertThat(access.path("event").asText()).isEqualTo("request");
        assertThat(access.path("method").asText()).isEqualTo("GET");
        assertThat(access.path("path").asText()).isEqualTo("/v1/rollups");
        assertThat(access.path("status").asText()).isEqualTo("400");
        assertThat(access.path("latency_ms").asDouble()).isPositive();
    }

    /** A client's 100 KB path or method is cut in the access line as in the answer, not logged whole per request. */
    @Test
    void theAccessLineCutsAHugePathAndMethod() {
        QueryApiHandler handler = QueryApiFixtures.handler(null, null, metricLines::add);
        String path = "/v1/" + "x".repeat(100_000);
        handler.handleRequest(HttpApiEvents.request("M".repeat(100_000), path, Map.of(), Map.of(), null),
                LocalLambdaContext.withRequestId("req-log-3"));

        JsonNode access = logs.lines().getLast().path("message");
        assertThat(access.path("event").asText()).isEqualTo("request");
        assertThat(access.path("method").asText()).isEqualTo("M".repeat(100) + "… (100000 characters)");
        assertThat(access.path("path").asText()).isEqualTo("/v1/" + "x".repeat(96) + "… (100004 characters)");
        assertThat(logs.lines()).allSatisfy(line -> assertThat(line.toString().length()).isLessThan(2_000));
    }

    @Test
    void anUnexpectedFailureIsA500WithoutDetailsAndOneLoggedStackTrace() {
        // No store behind the API: the search itself fails, which no input can cause.
        QueryApiHandler handler = QueryApiFixtures.handler(null, null, metricLines::add);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpApiEvents.get("/v1/rollups", "from=2026-01-01&to=2026-01-02"),
                LocalLambdaContext.withRequestId("req-log-2"));

        assertThat(response.getStatusCode()).isEqualTo(500);
        JsonNode body = QueryApiFixtures.json(response);
        assertThat(body.path("error").asText()).isEqualTo("internal_error");
        assertThat(body.path("message").asText()).isEqualTo("the request failed unexpectedly; quote request id req-log-2 when reporting it");
        assertThat(response.getBody()).doesNotContain("NullPointerException").doesNotContain("at dev.");
        List<JsonNode> lines = logs.lines();
        assertThat(lines).filteredOn(line -> line.has("stack_trace")).singleElement().satisfies(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("request_id").asText()).isEqualTo("req-log-2");
            assertThat(line.path("error_type").asText()).isEqualTo("java.lang.NullPointerException");
        });
    }

    @Test
    void eachRequestWritesOneEmfLatencyLineForItsRoute() {
        QueryApiHandler handler = QueryApiFixtures.handler(null, new RecordingAggregationJobs(), metricLines::add);
        handler.handleRequest(HttpApiEvents.get("/v1/noise", "from=x"), LocalLambdaContext.withRequestId("req-m-1"));
        handler.handleRequest(HttpApiEvents.get("/nowhere"), LocalLambdaContext.withRequestId("req-m-2"));
        handler.handleRequest(HttpApiEvents.post("/v1/jobs", "{\"from\":\"2026-01-01\",\"to\":\"2026-01-02\"}"), LocalLambdaContext.withRequestId("req-m-3"));

        List<JsonNode> lines = metricLines.stream().map(line -> ApiJson.read(line.getBytes(StandardCharsets.UTF_8))).toList();
        assertThat(lines).hasSize(3);
        for (JsonNode line : lines) {
            JsonNode directive = line.path("_aws").path("CloudWatchMetrics").get(0);
            assertThat(line.path("_aws").path("Timestamp").asLong()).isEqualTo(QueryApiFixtures.CLOCK.millis());
            assertThat(directive.path("Namespace").asText()).isEqualTo("RollcallTest");
            assertThat(directive.path("Dimensions").toString()).isEqualTo("[[\"route\"]]");
            assertThat(directive.path("Metrics").toString()).isEqualTo("[{\"Name\":\"latency\",\"Unit\":\"Milliseconds\"}]");
            assertThat(line.path("latency").asDouble()).isPositive();
        }
        assertThat(lines).extracting(l -> l.path("route").asText()).containsExactly("noise", "unmatched", "jobs_submit");
        assertThat(lines).extracting(l -> l.path("status").asInt()).containsExactly(400, 404, 202);
        assertThat(lines).extracting(l -> l.path("request_id").asText()).containsExactly("req-m-1", "req-m-2", "req-m-3");
    }
}
