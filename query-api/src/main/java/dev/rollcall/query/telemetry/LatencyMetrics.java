package dev.rollcall.query.telemetry;

import java.time.Instant;
import java.util.function.Consumer;

import org.apache.logging.log4j.LogManager;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.rollcall.core.config.OperatorMetrics;
import dev.rollcall.query.http.ApiJson;

/**
 * A latency metric per route as CloudWatch Embedded Metric Format lines on stdout: CloudWatch Logs turns each line
 * into a {@code latency} datapoint (milliseconds) with the dimension {@code route}, and keeps status and request
 * id as searchable properties; a report route's line also carries {@code answer_remembered} (1 or 0) and the
 * {@code cache} outcome. Written directly, so it works the same in Lambda, in local mode and in benchmarks.
 */
public final class LatencyMetrics {

    /** The logger whose appender writes each line as it is (see log4j2.xml), not wrapped in the JSON log layout. */
    public static final String LOGGER = "dev.rollcall.query.metrics";

    private final String namespace;
    private final Consumer<String> sink;

    public LatencyMetrics(String namespace, Consumer<String> sink) {
        this.namespace = namespace;
        this.sink = sink;
    }

    /** Lines go to the {@value #LOGGER} logger. */
    public static LatencyMetrics toLog(String namespace) {
        var logger = LogManager.getLogger(LOGGER);
        return new LatencyMetrics(namespace, line -> logger.info(line));
    }

    /** {@code cacheOutcome} is null for routes that never remember answers. */
    public void record(String route, int status, double latencyMillis, String requestId, Instant at, String cacheOutcome) {
        sink.accept(line(namespace, route, status, latencyMillis, requestId, at, cacheOutcome));
    }

    static String line(String namespace, String route, int status, double latencyMillis, String requestId, Instant at,
                       String cacheOutcome) {
        ObjectNode line = ApiJson.object();
        ObjectNode aws = line.putObject("_aws");
        aws.put("Timestamp", at.toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add(OperatorMetrics.ROUTE);
        ArrayNode metrics = directive.putArray("Metrics");
        metrics.addObject().put("Name", OperatorMetrics.QUERY_LATENCY).put("Unit", "Milliseconds");
        line.put(OperatorMetrics.ROUTE, route);
        line.put(OperatorMetrics.QUERY_LATENCY, Math.round(latencyMillis * 1000) / 1000.0);
        if (cacheOutcome != null) {
            metrics.addObject().put("Name", OperatorMetrics.ANSWER_REMEMBERED).put("Unit", "None");
            line.put(OperatorMetrics.ANSWER_REMEMBERED, cacheOutcome.equals("hit") ? 1 : 0);
            line.put("cache", cacheOutcome);
        }
        line.put("status", status);
        if (requestId != null) {
            line.put("request_id", requestId);
        }
        return ApiJson.write(line);
    }
}
