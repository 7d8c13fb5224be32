package dev.rollcall.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.http.ApiJson;
import dev.rollcall.servers.LocalLambdaContext;

/** Structured logs (request id on every line, no stack trace for expected errors) and the EMF latency metric per route. */
class TelemetryTest {

    private static final String QUERY_LOGGERS = "dev.rollcall.query";
    private final List<String> logLines = Collections.synchronizedList(new ArrayList<>());
    private final List<String> metricLines = Collections.synchronizedList(new ArrayList<>());
    private AbstractAppender appender;

    @BeforeEach
    void captureLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        JsonTemplateLayout layout = JsonTemplateLayout.newBuilder().setConfiguration(config)
                .setEventTemplateUri("classpath:dev/rollcall/query/log-event.json").build();
        appender = new AbstractAppender("capture", null, layout, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logLines.add(layout.toSerializable(event));
            }
        };
        appender.start();
        LoggerConfig logger = new LoggerConfig(QUERY_LOGGERS, Level.INFO, false);
        logger.addAppender(appender, Level.INFO, null);
        config.addLogger(QUERY_LOGGERS, logger);
        context.updateLoggers();
    }

    @AfterEach
    void restoreLogs() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().removeLogger(QUERY_LOGGERS);
        context.updateLoggers();
        appender.stop();
    }

    @Test
    void everyLineCarriesTheRequestIdAndInputErrorsHaveNoStackTrace() {
        QueryApiHandler handler = QueryApiFixtures.handler(null, null, metricLines::add);
        APIGatewayV2HTTPResponse response = handler.handleRequest(HttpApiEvents.get("/v1/rollups", "from=2026-02-01&to=2026-01-01"),
                LocalLambdaContext.withRequestId("req-log-1"));

        assertThat(response.getStatusCode()).isEqualTo(400);
        List<JsonNode> lines = parsed(logLines);
        assertThat(lines).hasSize(2).allSatisfy(line -> {
            assertThat(line.path("request_id").asText()).isEqualTo("req-log-1");
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
        List<JsonNode> lines = parsed(logLines);
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

        List<JsonNode> lines = parsed(metricLines);
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

    private static List<JsonNode> parsed(List<String> lines) {
        List<JsonNode> parsed = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                parsed.add(ApiJson.read(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        return parsed;
    }
}
