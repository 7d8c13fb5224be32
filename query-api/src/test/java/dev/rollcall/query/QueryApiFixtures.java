package dev.rollcall.query;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;

import dev.rollcall.query.cache.AnswerCacheSettings;
import dev.rollcall.query.http.ApiJson;
import dev.rollcall.query.jobs.AggregationJobs;
import dev.rollcall.query.jobs.JobSizing;
import dev.rollcall.query.params.QueryLimits;
import dev.rollcall.query.reports.RollupSearch;
import dev.rollcall.query.telemetry.LatencyMetrics;
import dev.rollcall.servers.LocalLambdaContext;

/** Builds handlers for tests and reads their answers. */
public final class QueryApiFixtures {

    public static final Clock CLOCK = Clock.fixed(Instant.parse("2026-02-15T12:00:00Z"), ZoneOffset.UTC);

    private QueryApiFixtures() {
    }

    /** A handler without a store: enough for every answer given before a search (routing, validation, jobs). */
    public static QueryApiHandler withoutStore(AggregationJobs jobs) {
        return handler(null, jobs, line -> { });
    }

    public static QueryApiHandler handler(RollupSearch search, AggregationJobs jobs, java.util.function.Consumer<String> metricLines) {
        return new QueryApiHandler(api(search, jobs, metricLines));
    }

    public static QueryApi api(RollupSearch search, AggregationJobs jobs, java.util.function.Consumer<String> metricLines) {
        return api(search, jobs, metricLines, CLOCK);
    }

    public static QueryApi api(RollupSearch search, AggregationJobs jobs, java.util.function.Consumer<String> metricLines, Clock clock) {
        return new QueryApi(search, jobs, QueryLimits.defaults(), JobSizing.defaults(), QueryApiConfig.DEFAULT_HEALTH_STALE_AFTER,
                AnswerCacheSettings.defaults(), clock,
                new LatencyMetrics("RollcallTest", metricLines));
    }

    public static List<dev.rollcall.query.http.Route> routes() {
        return api(null, null, line -> { }).routes();
    }

    public static APIGatewayV2HTTPResponse call(QueryApiHandler handler, APIGatewayV2HTTPEvent event) {
        return handler.handleRequest(event, LocalLambdaContext.withRequestId("req-" + Integer.toHexString(event.hashCode())));
    }

    public static JsonNode json(APIGatewayV2HTTPResponse response) {
        return ApiJson.read(response.getBody().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The response as the Lambda Java runtime returns it (its serializer): what Lambda's 6 MB limit measures. */
    public static byte[] asLambdaReturnsIt(APIGatewayV2HTTPResponse response) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        LambdaEventSerializers.serializerFor(APIGatewayV2HTTPResponse.class, QueryApiFixtures.class.getClassLoader()).toJson(response, out);
        return out.toByteArray();
    }

    public static String header(APIGatewayV2HTTPResponse response, String name) {
        return response.getHeaders().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
